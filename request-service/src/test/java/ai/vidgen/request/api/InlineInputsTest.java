package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.platform.auth.SignedUrls;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.request.support.StorageStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.awaitility.Awaitility;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Files a request carries inline ({@code data:} URIs, the OpenAI API's uploaded
 * {@code input_reference}) are moved to storage-service before the event is written, and the
 * event carries a signed link instead: it stays far below Kafka's 1 MiB record limit. Remix hands
 * fal a signed link to its source video. {@link StorageStub} plays storage-service.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class InlineInputsTest {

    private static final String IMAGE_TO_VIDEO = "fal-ai/kling-video/v3/standard/image-to-video";
    private static final int EVENT_LIMIT = 64 * 1024;
    private static EventLog kafka;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    private static String storage() {
        return ConfigProvider.getConfig().getValue("request.storage-public-url", String.class);
    }

    private static byte[] png(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        System.arraycopy(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, 0, bytes, 0, 8);
        return bytes;
    }

    private static String dataUri(byte[] bytes) {
        return "data:image/png;base64," + Base64.getEncoder().encodeToString(bytes);
    }

    private static String body(String startImage) {
        return "{\"endpoint_id\":\"" + IMAGE_TO_VIDEO + "\",\"input\":{\"prompt\":\"The fox wakes up\","
                + "\"start_image_url\":\"" + startImage + "\"}}";
    }

    private static Response submit(String tenant, String key, String body) {
        var request = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body);
        if (key != null) {
            request.header("Idempotency-Key", key);
        }
        return request.post("/v1/generations");
    }

    /** The link's query parameters, after checking it is a storage link that opens {@code object}. */
    private static Map<String, String> assertOpens(String url, String path, String object, String tenant,
            Duration validity) {
        assertTrue(url.startsWith(storage() + path + "?"), url);
        String query = URI.create(url).getRawQuery();
        assertTrue(StorageStub.opens(object, query), "the signature verifies: " + url);
        Map<String, String> params = StorageStub.query(query);
        assertEquals(tenant, params.get("tenant"));
        long expected = Instant.now().plus(validity).getEpochSecond();
        long expires = Long.parseLong(params.get("expires"));
        assertTrue(expires > expected - 120 && expires <= expected + 5, "expires " + expires + ", expected ~" + expected);
        return params;
    }

    @Test
    void aThreeMegabyteInlineImageTravelsAsASignedLinkInASmallEvent() {
        String tenant = "inline-" + UUID.randomUUID();
        byte[] image = png(3 * 1024 * 1024, 1);
        String key = "k-" + UUID.randomUUID();

        String id = submit(tenant, key, body(dataUri(image))).then().statusCode(202).extract().path("id");

        ConsumerRecord<String, String> record = kafka.await(id, "ai.vidgen.generation.requested");
        int eventBytes = record.value().getBytes(StandardCharsets.UTF_8).length;
        assertTrue(eventBytes < EVENT_LIMIT, "GenerationRequested has " + eventBytes + " bytes");
        GenerationRequested requested = (GenerationRequested) kafka.decode(record).data();
        String link = requested.input().path("start_image_url").asText();
        String inputId = link.substring((storage() + "/v1/inputs/").length(), link.indexOf('?'));
        assertTrue(inputId.matches("in-[0-9a-f]{64}"), link);
        assertOpens(link, "/v1/inputs/" + inputId, SignedUrls.input(inputId), tenant, Duration.ofHours(48));
        assertEquals("The fox wakes up", requested.input().path("prompt").asText());

        // What fal will fetch: the very bytes, with their media type.
        Response fetched = given().get(URI.create(link));
        assertEquals(200, fetched.statusCode());
        assertEquals("image/png", fetched.contentType());
        assertArrayEquals(image, fetched.asByteArray());
        // The stored generation shows the link too, not megabytes of base64.
        given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200)
                .body("input.start_image_url", equalTo(link));

        // The retried request (the same inline image) is the same request: replayed, not a conflict.
        int uploads = StorageStub.uploads(storage());
        submit(tenant, key, body(dataUri(image))).then().statusCode(202)
                .header("Idempotent-Replayed", "true").body("id", equalTo(id));
        assertEquals(uploads, StorageStub.uploads(storage()), "a replay uploads nothing");
        // Another image under the same key is another request.
        submit(tenant, key, body(dataUri(png(1000, 2)))).then().statusCode(409);
    }

    @Test
    void storageUnreachableIsA503AndNothingIsAccepted() {
        String tenant = "inline-down-" + UUID.randomUUID();
        String key = "k-" + UUID.randomUUID();
        String request = body(dataUri(png(50_000, 3)));
        StorageStub.setDown(storage(), true);
        try {
            submit(tenant, key, request).then().statusCode(503)
                    .header("Content-Type", startsWith("application/problem+json"))
                    .body("type", equalTo("urn:vidgen:problem:storage-unavailable"))
                    .body("reason", equalTo("storage_unavailable"));
        } finally {
            StorageStub.setDown(storage(), false);
        }
        given().header("X-Tenant-Id", tenant).get("/v1/generations").then().statusCode(200)
                .body("data.size()", equalTo(0));

        // Storage back: the same request with the same key is accepted now (the key was not used up).
        String id = submit(tenant, key, request).then().statusCode(202).extract().path("id");
        kafka.await(id, "ai.vidgen.generation.requested");
        List<String> published = kafka.all().stream()
                .filter(r -> kafka.decode(r).data().tenantId().equals(tenant))
                .map(ConsumerRecord::key).distinct().toList();
        assertEquals(List.of(id), published, "only the accepted attempt reached Kafka");
    }

    @Test
    void brokenOrNonMediaInlineFilesAreInvalidAtTheirField() {
        String tenant = "inline-bad-" + UUID.randomUUID();
        submit(tenant, null, body("data:image/png;base64,@@not-base64@@")).then().statusCode(422)
                .body("errors[0].pointer", equalTo("/input/start_image_url"));
        submit(tenant, null, body("data:text/html,<script>alert(1)</script>")).then().statusCode(422)
                .body("errors[0].pointer", equalTo("/input/start_image_url"))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString("text/html"));
        given().header("X-Tenant-Id", tenant).get("/v1/generations").then().body("data.size()", equalTo(0));
    }

    @Test
    void anUploadedInputReferenceOfTheOpenAiApiTravelsAsASignedLink() {
        String tenant = "inline-oai-" + UUID.randomUUID();
        byte[] image = png(3 * 1024 * 1024, 4);

        String id = given().header("X-Tenant-Id", tenant)
                .multiPart("model", "kling-v3").multiPart("prompt", "The fox wakes up")
                .multiPart("input_reference", "frame.png", image, "image/png")
                .post("/v1/videos").then().statusCode(200).extract().path("id");

        ConsumerRecord<String, String> record = kafka.await(id, "ai.vidgen.generation.requested");
        assertTrue(record.value().length() < EVENT_LIMIT, "GenerationRequested has " + record.value().length() + " chars");
        GenerationRequested requested = (GenerationRequested) kafka.decode(record).data();
        String link = requested.input().path("start_image_url").asText();
        assertArrayEquals(image, given().get(URI.create(link)).then().statusCode(200).extract().asByteArray());
    }

    @Test
    void remixHandsFalALongLivedSignedLinkAndARetryIsReplayed() {
        String tenant = "remix-" + UUID.randomUUID();
        String source = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body("{\"model\":\"kling-v3\",\"prompt\":\"a fox\"}").post("/v1/videos").then().statusCode(200)
                .extract().path("id");
        complete(source, tenant);
        Awaitility.await().atMost(EventLog.WAIT).untilAsserted(() -> given().header("X-Tenant-Id", tenant)
                .get("/v1/videos/{id}", source).then().body("status", equalTo("completed")));
        String key = "remix-" + UUID.randomUUID();

        String remix = given().header("X-Tenant-Id", tenant).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"prompt\":\"at night\"}").post("/v1/videos/{id}/remix", source).then().statusCode(200)
                .extract().path("id");

        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(remix, "ai.vidgen.generation.requested")).data();
        String link = requested.input().path("video_url").asText();
        assertOpens(link, "/v1/videos/" + source, SignedUrls.video(source), tenant, Duration.ofHours(48));
        assertArrayEquals(StorageStub.videoBytes(source), given().get(URI.create(link)).asByteArray());
        // The edit is as long as its source (7.04 s archived): priced and reserved for 8 s, not 5.
        assertEquals(8, requested.spec().seconds());
        // Signed again on a retry, yet the same request: the same remix.
        String again = given().header("X-Tenant-Id", tenant).header("Idempotency-Key", key).contentType(ContentType.JSON)
                .body("{\"prompt\":\"at night\"}").post("/v1/videos/{id}/remix", source).then().statusCode(200)
                .extract().path("id");
        assertEquals(remix, again);

        // The content route reads storage with a fresh link of its own.
        byte[] content = given().header("X-Tenant-Id", tenant).header("Range", "bytes=0-99")
                .get("/v1/videos/{id}/content", source).then().statusCode(206).extract().asByteArray();
        assertArrayEquals(java.util.Arrays.copyOf(StorageStub.videoBytes(source), 100), content);
        assertNotEquals(link, given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", source)
                .then().extract().path("video.url"));
    }

    private static void complete(String id, String tenant) {
        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        kafka.publish(
                new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-" + id),
                new GenerationCompleted(id, tenant, requested.spec(), 1, "fal-" + id, "https://v3.fal.media/files/x/out.mp4",
                        "video/mp4", 100_003L, 61_000L),
                new GenerationBilled(id, tenant, 840_000, 168_000, 5, "V3", "STANDARD", false, false, "2026-02"),
                new VideoArchived(id, tenant, tenant + "/" + id + ".mp4", "file:///videos/" + id + ".mp4", "video/mp4",
                        100_003, "00", 7_040, 1280, 720, false));
    }
}
