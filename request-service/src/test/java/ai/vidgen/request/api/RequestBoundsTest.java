package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.io.ByteArrayInputStream;
import java.util.Base64;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * What bounds a request: the body limit (413 before anything is read), the catalog's field
 * limits (422 naming the field, never echoing the oversized value), and /v1/videos held to the
 * native API's rules for Idempotency-Key and durations. After each refusal a normal request is
 * still accepted and published.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class RequestBoundsTest {

    static final String T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String REQUESTED = "ai.vidgen.generation.requested";
    /** request.limits.max-body-size (8M). */
    static final int LIMIT = 8 * 1024 * 1024;

    private static EventLog kafka;

    @io.quarkus.test.common.http.TestHTTPResource("/")
    java.net.URL base;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aBodyOverTheLimitIsRefusedWith413BeforeItIsReadAndTheNextRequestIsAccepted() {
        String tenant = tenant();
        String body = body("x".repeat(LIMIT));
        given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body).post("/v1/generations")
                .then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:payload-too-large"))
                .body("status", equalTo(413))
                .body("reason", equalTo("body_too_large"))
                .body("detail", containsString("at most " + LIMIT + " bytes"));
        acceptedAndPublished(tenant);
    }

    @Test
    void aChunkedBodyOverTheLimitIsCutOffWith413Too() {
        String tenant = tenant();
        // No Content-Length: the limit can only be applied while the body arrives.
        ByteArrayInputStream chunked = new ByteArrayInputStream(body("y".repeat(LIMIT + 1024)).getBytes());
        given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(chunked).post("/v1/generations")
                .then().statusCode(413);
        acceptedAndPublished(tenant);
    }

    @Test
    void anInputReferenceUploadOverTheLimitIsRefusedWith413() throws Exception {
        String tenant = tenant();
        // As the openai SDK sends a form: with its length declared.
        String boundary = "b" + UUID.randomUUID();
        java.io.ByteArrayOutputStream form = new java.io.ByteArrayOutputStream();
        form.write(("--" + boundary + "\r\nContent-Disposition: form-data; name=\"prompt\"\r\n\r\na fox\r\n--" + boundary
                + "\r\nContent-Disposition: form-data; name=\"input_reference\"; filename=\"frame.png\"\r\n"
                + "Content-Type: image/png\r\n\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        form.write(new byte[LIMIT]);
        form.write(("\r\n--" + boundary + "--\r\n").getBytes(java.nio.charset.StandardCharsets.US_ASCII));
        java.net.http.HttpResponse<String> declared = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "v1/videos"))
                        .header("X-Tenant-Id", tenant).header("Content-Type", "multipart/form-data; boundary=" + boundary)
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofByteArray(form.toByteArray())).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertEquals(413, declared.statusCode());
        assertEquals("application/problem+json", declared.headers().firstValue("Content-Type").orElse(""));
        assertTrue(declared.body().contains("urn:vidgen:problem:payload-too-large"), declared.body());
        // Without a length (chunked), the same answer once the parser has counted past the limit.
        given().header("X-Tenant-Id", tenant).multiPart("model", "kling-v3").multiPart("prompt", "a fox")
                .multiPart("input_reference", "frame.png", new byte[LIMIT], "image/png")
                .post("/v1/videos").then().statusCode(413)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:payload-too-large"));
        // A 3 MB frame, the size the limit is meant for, is taken.
        given().header("X-Tenant-Id", tenant).multiPart("model", "kling-v3").multiPart("prompt", "a fox")
                .multiPart("input_reference", "frame.png", new byte[3 * 1024 * 1024], "image/png")
                .post("/v1/videos").then().statusCode(200)
                .body("endpoint_id", equalTo("fal-ai/kling-video/v3/standard/image-to-video"));
    }

    @Test
    void aThreeMegabyteImageInlinedAsADataUriFitsUnderTheLimit() {
        String tenant = tenant();
        String image = "data:image/png;base64," + Base64.getEncoder().encodeToString(new byte[3 * 1024 * 1024]);
        given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/image-to-video\",\"input\":{\"prompt\":"
                        + "\"a fox\",\"start_image_url\":\"" + image + "\"}}")
                .queryParam("dry_run", true).post("/v1/generations").then().statusCode(200);
    }

    @Test
    void aFiveMegabytePromptIsRefusedNamingTheFieldWithoutEchoingIt() {
        String tenant = tenant();
        ValidatableResponse refused = post(tenant, body("p".repeat(5_000_000))).statusCode(422)
                .contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/input/prompt"))
                .body("errors[0].detail", equalTo("prompt is at most 2500 characters; got 5000000"));
        assertTrue(refused.extract().asString().length() < 2_000, "the answer repeats the prompt");
        acceptedAndPublished(tenant);
    }

    @Test
    void promptsAreCountedInCharactersAsFalCountsThem() {
        String tenant = tenant();
        // 2500 characters of 4 bytes each in UTF-8 (and 2 UTF-16 units): within the limit.
        post(tenant, body("\uD83E\uDD8A".repeat(2500))).statusCode(202);
        post(tenant, body("a".repeat(2501))).statusCode(422)
                .body("errors[0].pointer", equalTo("/input/prompt"));
        post(tenant, "{\"endpoint_id\":\"" + T2V + "\",\"input\":{\"prompt\":\"a fox\",\"negative_prompt\":\""
                + "n".repeat(2501) + "\"}}").statusCode(422)
                .body("errors[0].pointer", equalTo("/input/negative_prompt"))
                .body("errors[0].detail", equalTo("negative_prompt is at most 2500 characters; got 2501"));
    }

    @Test
    void aHugeFieldNameIsNamedShortly() {
        String tenant = tenant();
        // Jackson itself refuses names over 50000 characters (400 malformed-body).
        String name = "k".repeat(40_000);
        ValidatableResponse refused = post(tenant, "{\"endpoint_id\":\"" + T2V + "\",\"input\":{\"prompt\":\"a\"},"
                + "\"metadata\":{\"" + name + "\":\"v\"},\"" + name + "\":1}").statusCode(422)
                .body("errors.pointer", hasItem("/metadata"))
                .body("errors.pointer", hasItem(""));
        assertTrue(refused.extract().asString().length() < 2_000, "the answer repeats the name");
    }

    @Test
    void theOpenAiSecondsMustBeExactlyOneOfTheModelsDurations() {
        String tenant = tenant();
        videos(tenant, "{\"model\":\"kling-v3\",\"prompt\":\"a fox\",\"seconds\":8.9}", null).statusCode(400)
                .contentType("application/problem+json")
                .body("errors[0].pointer", equalTo("/seconds"))
                .body("errors[0].detail", startsWith("seconds must be one of 3, 4, 5"))
                .body("errors[0].detail", containsString("got 8.9"));
        videos(tenant, "{\"model\":\"kling-v3\",\"prompt\":\"a fox\",\"seconds\":\"8.9\"}", null).statusCode(400)
                .body("errors[0].pointer", equalTo("/seconds"));
        videos(tenant, "{\"model\":\"kling-v3\",\"prompt\":\"a fox\",\"seconds\":\"16\"}", null).statusCode(400)
                .body("errors[0].pointer", equalTo("/seconds"));
        videos(tenant, "{\"model\":\"kling-v3\",\"prompt\":\"a fox\",\"seconds\":8}", null).statusCode(200)
                .body("seconds", equalTo("8"));
        videos(tenant, "{\"model\":\"kling-v3\",\"prompt\":\"a fox\",\"seconds\":\"8\"}", null).statusCode(200)
                .body("seconds", equalTo("8"));
        // The form the SDK sends: every value a string.
        given().header("X-Tenant-Id", tenant).multiPart("model", "kling-o3").multiPart("prompt", "a fox")
                .multiPart("seconds", "8.9").post("/v1/videos").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/seconds"));
    }

    @Test
    void theOpenAiIdempotencyKeyFollowsTheNativeRules() {
        String tenant = tenant();
        String body = "{\"model\":\"kling-v3\",\"prompt\":\"a fox\",\"seconds\":\"5\"}";
        for (String bad : new String[] {" ", "k".repeat(256), "clé-1"}) {
            videos(tenant, body, bad).statusCode(400)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:vidgen:problem:invalid-header"))
                    .body("errors[0].parameter", equalTo("Idempotency-Key"));
        }
        given().header("X-Tenant-Id", tenant).get("/v1/videos").then().statusCode(200)
                .body("data.size()", equalTo(0));

        String key = "order-" + UUID.randomUUID();
        String id = videos(tenant, body, key).statusCode(200).header("Idempotent-Replayed", nullValue())
                .extract().path("id");
        videos(tenant, body, key).statusCode(200).header("Idempotent-Replayed", "true").body("id", equalTo(id));
        videos(tenant, "{\"model\":\"kling-v3\",\"prompt\":\"another fox\",\"seconds\":\"5\"}", key).statusCode(409)
                .body("type", equalTo("urn:vidgen:problem:idempotency-key-reused"));
        // The same key on the native API names the same generation only for the same request.
        post(tenant, body("a fox"), key).statusCode(409);
    }

    @Test
    void aFullLengthPromptFitsInAMultipartForm() {
        // A form field used to be capped at 2048 bytes, below the 2500 characters fal takes.
        given().header("X-Tenant-Id", tenant()).multiPart("model", "kling-v3").multiPart("prompt", "é".repeat(2500))
                .post("/v1/videos").then().statusCode(200);
    }

    private static void acceptedAndPublished(String tenant) {
        String id = post(tenant, body("a fox in the snow")).statusCode(202).extract().path("id");
        kafka.await(id, REQUESTED);
        given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200)
                .body("status", equalTo("queued"));
    }

    private static String body(String prompt) {
        return "{\"endpoint_id\":\"" + T2V + "\",\"input\":{\"prompt\":\"" + prompt + "\"}}";
    }

    private static ValidatableResponse post(String tenant, String body) {
        return post(tenant, body, null);
    }

    private static ValidatableResponse post(String tenant, String body, String key) {
        var request = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/v1/generations").then();
    }

    private static ValidatableResponse videos(String tenant, String body, String key) {
        var request = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/v1/videos").then();
    }

    private static String tenant() {
        return "bounds-" + UUID.randomUUID();
    }
}
