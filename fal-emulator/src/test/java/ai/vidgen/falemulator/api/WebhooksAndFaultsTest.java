package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Webhook delivery and signing, and the injectable faults (test profile: 2 slots, 300 ms inference). */
@QuarkusTest
class WebhooksAndFaultsTest {

    private static final String INPUT = "{\"prompt\":\"a kite\",\"duration\":\"3\",\"generate_audio\":false}";

    private final FalApi fal = new FalApi("any-key");
    private WebhookReceiver receiver;

    @TestHTTPResource("/")
    URL base;

    @BeforeEach
    void setUp() throws IOException {
        FalApi.reset();
        given().delete("/_emulator/faults").then().statusCode(204);
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        given().delete("/_emulator/faults").then().statusCode(204);
    }

    private static void fault(String fault, double rate) {
        given().contentType(ContentType.JSON).body(List.of(Map.of("fault", fault, "rate", rate)))
                .put("/_emulator/faults").then().statusCode(200).body("[0].fault", equalTo(fault));
    }

    private JsonPath submitWithWebhook() {
        return fal.authed().contentType(ContentType.JSON).queryParam("fal_webhook", receiver.url()).body(INPUT)
                .post("/" + V3_T2V).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aCompletedRequestIsDeliveredSignedAndVerifiableWithThePublishedJwks() throws Exception {
        JsonPath submitted = submitWithWebhook();
        String id = submitted.getString("request_id");
        assertEquals(id, submitted.getString("gateway_request_id"));
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.deliveries.size() == 1);
        WebhookReceiver.Delivery delivery = receiver.deliveries.get(0);
        JsonPath body = new JsonPath(new String(delivery.body(), StandardCharsets.UTF_8));
        assertEquals(id, body.getString("request_id"));
        assertEquals(id, body.getString("gateway_request_id"));
        assertEquals("OK", body.getString("status"));
        assertEquals("video/mp4", body.getString("payload.video.content_type"));
        assertEquals(id, delivery.headers().get("x-fal-webhook-request-id"));
        assertEquals("emulator-user", delivery.headers().get("x-fal-webhook-user-id"));
        long ts = Long.parseLong(delivery.headers().get("x-fal-webhook-timestamp"));
        assertTrue(Math.abs(Instant.now().getEpochSecond() - ts) < 60);
        assertTrue(verifies(delivery), "signature verifies against the JWKS");
        // A tampered body does not.
        byte[] tampered = delivery.body().clone();
        tampered[tampered.length - 2] ^= 1;
        assertTrue(!verifies(new WebhookReceiver.Delivery(delivery.headers(), tampered)));
    }

    @Test
    void aFailingReceiverGetsRetriesUntilItAccepts() {
        receiver.failFirst.set(2);
        String id = submitWithWebhook().getString("request_id");
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.deliveries.size() == 3);
        await().atMost(Duration.ofSeconds(5)).until(() ->
                given().get("/_emulator/webhooks?request_id=" + id).jsonPath().getList("$").size() == 3);
        given().get("/_emulator/webhooks?request_id=" + id).then().statusCode(200)
                .body("size()", equalTo(3)).body("[2].http_status", equalTo(200)).body("[0].http_status", equalTo(500));
    }

    @Test
    void contentPolicyViolationIsA422ResultAndAnErrorWebhook() {
        fault("content_policy_violation", 1.0);
        JsonPath submitted = submitWithWebhook();
        fal.awaitCompleted(submitted.getString("status_url"));
        fal.status(submitted.getString("status_url")).then().body("error_type", equalTo("content_policy_violation"));
        fal.authed().get(submitted.getString("response_url")).then().statusCode(422)
                .header("X-Fal-Retryable", "false")
                .body("detail[0].type", equalTo("content_policy_violation"));
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveries.size() == 1);
        JsonPath hook = new JsonPath(new String(receiver.deliveries.get(0).body(), StandardCharsets.UTF_8));
        assertEquals("ERROR", hook.getString("status"));
        assertEquals("Invalid status code: 422", hook.getString("error"));
        assertEquals("content_policy_violation", hook.getString("payload.detail[0].type"));
    }

    @Test
    void infrastructureErrorsReplayTheirStatusAndErrorType() {
        fault("downstream_service_unavailable", 1.0);
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        fal.awaitCompleted(submitted.getString("status_url"));
        fal.authed().get(submitted.getString("response_url")).then().statusCode(500)
                .header("X-Fal-Error-Type", "downstream_service_unavailable")
                .body("error_type", equalTo("downstream_service_unavailable"));
    }

    @Test
    void rateLimitedSubmitCreatesNoRequest() {
        fault("submit_rate_limited", 1.0);
        fal.submit(V3_T2V, INPUT).then().statusCode(429);
        given().get("/_emulator/stats").then().body("total_submissions", equalTo(0));
    }

    @Test
    void aResetSubmitCreatesTheRequestButTheClientHearsNothing() {
        fault("submit_connection_reset", 1.0);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest submit = HttpRequest.newBuilder(URI.create(base + V3_T2V))
                .header("Authorization", "Key any").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(INPUT)).build();
        assertThrows(IOException.class, () -> client.send(submit, HttpResponse.BodyHandlers.ofString()));
        given().get("/_emulator/stats").then().body("total_submissions", equalTo(1));
    }

    @Test
    void duplicatedAndDroppedWebhooks() {
        fault("webhook_duplicated", 1.0);
        submitWithWebhook();
        await().atMost(Duration.ofSeconds(20)).until(() -> receiver.deliveries.size() == 2);
        fault("webhook_dropped", 1.0);
        JsonPath dropped = submitWithWebhook();
        fal.awaitCompleted(dropped.getString("status_url"));
        await().pollDelay(Duration.ofMillis(500)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertEquals(2, receiver.deliveries.size());
    }

    @Test
    void truncatedMediaIsShorterThanItsAdvertisedSize() {
        fault("truncated_media", 1.0);
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        fal.awaitCompleted(submitted.getString("status_url"));
        JsonPath result = fal.authed().get(submitted.getString("response_url")).then().statusCode(200).extract().jsonPath();
        byte[] bytes = given().get(result.getString("video.url")).then().statusCode(200).extract().asByteArray();
        assertTrue(bytes.length < result.getLong("video.file_size"), bytes.length + " < " + result.getLong("video.file_size"));
    }

    @Test
    void slowMediaArrivesWholeButOverTheSlowDuration() throws Exception {
        fault("media_slow", 1.0);
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        fal.awaitCompleted(submitted.getString("status_url"));
        JsonPath result = fal.authed().get(submitted.getString("response_url")).then().statusCode(200).extract().jsonPath();
        String url = result.getString("video.url");
        assertTrue(url.contains("/media/slow/"), url);
        long began = System.nanoTime();
        HttpResponse<byte[]> slow = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(url)).GET().build(),
                HttpResponse.BodyHandlers.ofByteArray());
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(200, slow.statusCode());
        assertEquals("video/mp4", slow.headers().firstValue("content-type").orElse(null));
        // The test profile spreads the file over 2 s.
        assertTrue(tookMillis >= 1_500, "took " + tookMillis + " ms");
        byte[] whole = given().get(url.replace("/media/slow/", "/media/")).then().statusCode(200).extract().asByteArray();
        assertEquals(result.getLong("video.file_size"), slow.body().length);
        assertTrue(java.util.Arrays.equals(whole, slow.body()), "the same bytes as the clip");
    }

    private boolean verifies(WebhookReceiver.Delivery delivery) throws Exception {
        Map<String, String> h = delivery.headers();
        String message = String.join("\n", h.get("x-fal-webhook-request-id"), h.get("x-fal-webhook-user-id"),
                h.get("x-fal-webhook-timestamp"),
                HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(delivery.body())));
        List<String> xs = given().get("/.well-known/jwks.json").then().statusCode(200)
                .body("keys[0].kty", equalTo("OKP")).body("keys[0].crv", equalTo("Ed25519"))
                .extract().jsonPath().getList("keys.x", String.class);
        for (String x : xs) {
            byte[] raw = Base64.getUrlDecoder().decode(x);
            byte[] spki = HexFormat.of().parseHex("302a300506032b6570032100" + HexFormat.of().formatHex(raw));
            PublicKey key = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature signature = Signature.getInstance("Ed25519");
            signature.initVerify(key);
            signature.update(message.getBytes(StandardCharsets.UTF_8));
            if (signature.verify(HexFormat.of().parseHex(h.get("x-fal-webhook-signature")))) {
                return true;
            }
        }
        return false;
    }

    @Test
    void resetStatusAndResultCallsGetNoAnswerWhileTheRequestRunsOn() {
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        fault("status_connection_reset", 1.0);
        HttpClient client = HttpClient.newHttpClient();
        HttpRequest status = HttpRequest.newBuilder(URI.create(submitted.getString("status_url")))
                .header("Authorization", "Key any").GET().build();
        assertThrows(IOException.class, () -> client.send(status, HttpResponse.BodyHandlers.ofString()));
        given().delete("/_emulator/faults").then().statusCode(204);
        fal.awaitCompleted(submitted.getString("status_url"));

        fault("result_connection_reset", 1.0);
        HttpRequest result = HttpRequest.newBuilder(URI.create(submitted.getString("response_url")))
                .header("Authorization", "Key any").GET().build();
        assertThrows(IOException.class, () -> client.send(result, HttpResponse.BodyHandlers.ofString()));
        given().delete("/_emulator/faults").then().statusCode(204);
        fal.authed().get(submitted.getString("response_url")).then().statusCode(200);
    }

    @Test
    void anUnavailableResultIsAnIngress503WithoutFalLabels() {
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        fal.awaitCompleted(submitted.getString("status_url"));
        fault("result_unavailable", 1.0);
        var response = fal.authed().get(submitted.getString("response_url"));
        assertEquals(503, response.statusCode());
        assertEquals(null, response.getHeader("x-fal-request-id"));
        assertEquals(null, response.getHeader("X-Fal-Error-Type"));
        // The status is unaffected: fal completed the request.
        assertEquals("COMPLETED", fal.statusOf(submitted.getString("status_url")));
    }

    @Test
    void aStalledQueueStartsNothingUntilTheFaultIsLifted() {
        fault("queue_stalled", 1.0);
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        await().pollDelay(Duration.ofMillis(600)).atMost(Duration.ofSeconds(2)).until(() -> true);
        assertEquals("IN_QUEUE", fal.statusOf(submitted.getString("status_url")));
        given().delete("/_emulator/faults").then().statusCode(204);
        fal.awaitCompleted(submitted.getString("status_url"));
    }

    @Test
    void aStalledRequestPastItsStartTimeoutEndsWithAUserTimeout() {
        fault("queue_stalled", 1.0);
        JsonPath submitted = fal.authed().contentType(ContentType.JSON).header("X-Fal-Request-Timeout", "1.0")
                .body(INPUT).post("/" + V3_T2V).then().statusCode(200).extract().jsonPath();
        fal.awaitCompleted(submitted.getString("status_url"));
        fal.authed().get(submitted.getString("response_url")).then().statusCode(504)
                .header("X-Fal-Request-Timeout-Type", "user");
    }
}
