package ai.vidgen.request.webhook;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Client callbacks against a real HTTP receiver on 127.0.0.1 (a dev host in the tests) that
 * verifies every Standard Webhooks signature itself and fails the first attempts on purpose.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class WebhookDeliveryTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String ENDPOINT = "fal-ai/kling-video/v3/standard/text-to-video";

    /** One POST the receiver got. */
    record Received(String path, String id, String timestamp, String signature, String body, boolean signatureValid,
            long receivedNanos) {
    }

    private static EventLog kafka;
    private static HttpServer receiver;
    private static final List<Received> RECEIVED = new CopyOnWriteArrayList<>();
    /** Per path: how many attempts to fail with 503 before answering 204 (-1: fail them all). */
    private static final Map<String, Integer> FAIL_FIRST = new ConcurrentHashMap<>();
    private static final Map<String, AtomicInteger> SEEN = new ConcurrentHashMap<>();
    /** Per path: the tenant secret the receiver verifies with. */
    private static final Map<String, String> SECRETS = new ConcurrentHashMap<>();

    @Inject
    Pool pool;

    @BeforeAll
    static void start() throws IOException {
        kafka = EventLog.open();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/", WebhookDeliveryTest::receive);
        receiver.start();
    }

    @AfterAll
    static void stop() {
        receiver.stop(0);
        kafka.close();
    }

    private static void receive(HttpExchange exchange) throws IOException {
        String path = exchange.getRequestURI().getPath();
        String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
        String id = exchange.getRequestHeaders().getFirst("webhook-id");
        String timestamp = exchange.getRequestHeaders().getFirst("webhook-timestamp");
        String signature = exchange.getRequestHeaders().getFirst("webhook-signature");
        RECEIVED.add(new Received(path, id, timestamp, signature, body, verify(SECRETS.get(path), id, timestamp, body,
                signature), System.nanoTime()));
        int attempt = SEEN.computeIfAbsent(path, p -> new AtomicInteger()).incrementAndGet();
        int failFirst = FAIL_FIRST.getOrDefault(path, 0);
        exchange.sendResponseHeaders(failFirst < 0 || attempt <= failFirst ? 503 : 204, -1);
        exchange.close();
    }

    /** The receiver's own check, as the Standard Webhooks spec describes it (not our signer). */
    private static boolean verify(String secret, String id, String timestamp, String body, String header) {
        if (secret == null || id == null || timestamp == null || header == null) {
            return false;
        }
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            String expected = Base64.getEncoder().encodeToString(
                    mac.doFinal((id + "." + timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
            boolean fresh = Math.abs(Instant.now().getEpochSecond() - Long.parseLong(timestamp)) < 300;
            return fresh && List.of(header.split(" ")).contains("v1," + expected);
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void completedIsDeliveredSignedAfterTwoFailedAttempts() throws Exception {
        String tenant = "wh-" + UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        FAIL_FIRST.put(path, 2);
        SECRETS.put(path, secret(tenant));
        String id = submit(tenant, path);
        complete(id, tenant);

        await().atMost(EventLog.WAIT).until(() -> received(path).size() >= 3
                && "delivered".equals(delivery(id).getString("state")));
        List<Received> attempts = received(path);
        assertEquals(3, attempts.size(), "two refused attempts, then the delivery");
        assertTrue(attempts.stream().allMatch(Received::signatureValid), attempts.toString());
        assertEquals(1, attempts.stream().map(Received::id).distinct().count(), "one webhook-id across retries");
        JsonNode body = JSON.readTree(attempts.get(2).body());
        assertEquals("generation.completed", body.get("type").asText());
        assertEquals(id, body.at("/data/id").asText());
        assertEquals("completed", body.at("/data/status").asText());
        // The video's link, signed for the tenant (storage-service serves nothing without it).
        java.net.URI videoUrl = java.net.URI.create(body.at("/data/video/url").asText());
        assertTrue(videoUrl.getPath().endsWith("/v1/videos/" + id), videoUrl.toString());
        assertTrue(ai.vidgen.request.support.StorageStub.opens(ai.vidgen.platform.auth.SignedUrls.video(id),
                videoUrl.getRawQuery()), videoUrl.toString());
        Row row = delivery(id);
        assertEquals(3, row.getInteger("attempts"));
        assertEquals(204, row.getInteger("last_status"));
        // Backoff (200 ms, then 400 ms in the tests): the retries were spaced out, not fired back to back.
        long gapMillis = (attempts.get(2).receivedNanos() - attempts.get(0).receivedNanos()) / 1_000_000;
        assertTrue(gapMillis >= 600, "retries spaced by the backoff: " + gapMillis + " ms");
    }

    @Test
    void failedAndCancelledAreDeliveredToo() throws Exception {
        String tenant = "wh-" + UUID.randomUUID();
        String failedPath = "/hooks/" + UUID.randomUUID();
        String cancelledPath = "/hooks/" + UUID.randomUUID();
        SECRETS.put(failedPath, secret(tenant));
        SECRETS.put(cancelledPath, secret(tenant));
        String failed = submit(tenant, failedPath);
        String cancelled = submit(tenant, cancelledPath);
        kafka.publish(new GenerationFailed(failed, tenant, 1, "content_policy_violation", "refused", false),
                new GenerationCancelled(cancelled, tenant, "cancelled", true));
        await().atMost(EventLog.WAIT).until(() -> received(failedPath).size() == 1 && received(cancelledPath).size() == 1);
        assertEquals("generation.failed", JSON.readTree(received(failedPath).get(0).body()).get("type").asText());
        assertEquals("content_policy_violation",
                JSON.readTree(received(failedPath).get(0).body()).at("/data/error/type").asText());
        assertEquals("generation.cancelled", JSON.readTree(received(cancelledPath).get(0).body()).get("type").asText());
        assertTrue(received(failedPath).get(0).signatureValid() && received(cancelledPath).get(0).signatureValid());
    }

    @Test
    void attemptsAreBoundedThenTheDeliveryIsMarkedFailed() throws Exception {
        String tenant = "wh-" + UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        FAIL_FIRST.put(path, -1);
        SECRETS.put(path, secret(tenant));
        String id = submit(tenant, path);
        kafka.publish(new GenerationCancelled(id, tenant, "cancelled", true));
        // request.webhooks.max-attempts is 4 in the tests.
        await().atMost(EventLog.WAIT).until(() -> "failed".equals(delivery(id).getString("state")));
        assertEquals(4, delivery(id).getInteger("attempts"));
        assertEquals(503, delivery(id).getInteger("last_status"));
        assertEquals(4, received(path).size());
    }

    @Test
    void aDeliveryLeftByAStoppedInstanceIsPickedUp() throws Exception {
        // As if the service stopped mid-delivery: a pending row with one attempt and a lapsed lease.
        String tenant = "wh-" + UUID.randomUUID();
        String path = "/hooks/" + UUID.randomUUID();
        SECRETS.put(path, secret(tenant));
        String id = "msg_restart_" + UUID.randomUUID();
        pool.preparedQuery("""
                        INSERT INTO webhook_deliveries (id, generation_id, tenant_id, url, event_type, payload, attempts,
                            next_attempt_at, locked_until)
                        VALUES ($1, $2, $3, $4, 'generation.completed', '{"type":"generation.completed"}', 1,
                            now() - interval '1 second', now() - interval '1 second')""")
                .execute(Tuple.of(id, UUID.randomUUID().toString(), tenant, "http://127.0.0.1:"
                        + receiver.getAddress().getPort() + path))
                .await().atMost(Duration.ofSeconds(10));
        await().atMost(EventLog.WAIT).until(() -> received(path).size() == 1);
        assertEquals(id, received(path).get(0).id());
        assertTrue(received(path).get(0).signatureValid());
    }

    @Test
    void callbackUrlsMustBePublicHttps() {
        String tenant = "wh-" + UUID.randomUUID();
        for (String url : List.of("https://private.example.com/hook", "https://metadata.example.com/hook",
                "https://localhost/hook", "http://cdn.example.com/hook", "https://v6-loopback.example.com/hook")) {
            given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                    .body("{\"endpoint_id\":\"" + ENDPOINT + "\",\"input\":{\"prompt\":\"a\"},\"callback_url\":\"" + url + "\"}")
                    .post("/v1/generations").then().statusCode(422)
                    .body("errors.pointer", hasItem("/callback_url"));
        }
        given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"" + ENDPOINT + "\",\"input\":{\"prompt\":\"a\"},"
                        + "\"callback_url\":\"https://hooks.example.com/ok\"}")
                .post("/v1/generations").then().statusCode(202);
    }

    @Test
    void theSecretIsPerTenantAndCanBeRotated() {
        String a = secret("wh-" + UUID.randomUUID());
        String b = secret("wh-" + UUID.randomUUID());
        assertTrue(a.startsWith("whsec_") && !a.equals(b));
        String tenant = "wh-" + UUID.randomUUID();
        String before = secret(tenant);
        assertEquals(before, secret(tenant));
        String after = given().header("X-Tenant-Id", tenant).post("/v1/webhooks/secret/rotate").then().statusCode(200)
                .extract().path("secret");
        assertTrue(!after.equals(before));
        given().header("X-Tenant-Id", tenant).get("/v1/webhooks/secret").then().body("secret", equalTo(after));
    }

    private void complete(String id, String tenant) {
        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        kafka.publish(
                new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-1"),
                new GenerationCompleted(id, tenant, requested.spec(), 1, "fal-1", "https://v3.fal.media/x.mp4",
                        "video/mp4", 10L, 1_000L),
                new VideoArchived(id, tenant, "k", "file:///k", "video/mp4", 10, "00", 5_000, 1280, 720, false));
    }

    private static String submit(String tenant, String path) {
        String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + path;
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"" + ENDPOINT + "\",\"input\":{\"prompt\":\"hook\"},\"callback_url\":\"" + url + "\"}")
                .post("/v1/generations").then().statusCode(202).body("status", equalTo("queued"))
                .extract().path("id");
    }

    private static String secret(String tenant) {
        return given().header("X-Tenant-Id", tenant).get("/v1/webhooks/secret").then().statusCode(200)
                .extract().path("secret");
    }

    private static List<Received> received(String path) {
        return RECEIVED.stream().filter(r -> r.path().equals(path)).toList();
    }

    private Row delivery(String generationId) {
        var rows = pool.preparedQuery("SELECT state, attempts, last_status FROM webhook_deliveries WHERE generation_id = $1")
                .execute(Tuple.of(generationId)).await().atMost(Duration.ofSeconds(10));
        if (rows.size() == 0) {
            return pool.preparedQuery("SELECT 'none' AS state, 0 AS attempts, 0 AS last_status").execute()
                    .await().atMost(Duration.ofSeconds(10)).iterator().next();
        }
        return rows.iterator().next();
    }
}
