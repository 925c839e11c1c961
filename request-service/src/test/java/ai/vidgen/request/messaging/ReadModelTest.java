package ai.vidgen.request.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.request.support.StorageStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.kafka.companion.ConsumerTask;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetResetStrategy;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The read model folds the other services' events into what GET /v1/generations/{id} shows. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class ReadModelTest {

    private static final String ENDPOINT = "fal-ai/kling-video/v3/standard/text-to-video";
    private static final GenerationSpec SPEC = new GenerationSpec(ENDPOINT, 5, true, false);
    private static EventLog kafka;

    @BeforeAll
    static void openKafka() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void closeKafka() {
        kafka.close();
    }

    @Test
    void foldsTheLifecycleIntoCompletedWithCostAndVideoAndIgnoresLateEvents() {
        String tenant = "t-" + UUID.randomUUID();
        String id = accept(tenant);
        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();

        VideoArchived archived = new VideoArchived(id, tenant, tenant + "/2026/03/01/" + id + ".mp4",
                "file:///var/lib/vidgen/videos/" + tenant + "/" + id + ".mp4", "video/mp4", 3_149_129,
                "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08", 5_042, 1280, 720, true);
        // The bill lands before the archive here: it sets the cost and never the status.
        kafka.publish(
                new GenerationDispatched(id, tenant, SPEC, requested.input(), 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-req-1"),
                new GenerationProgress(id, tenant, 1, "IN_QUEUE", 2, List.of()),
                new GenerationProgress(id, tenant, 1, "IN_PROGRESS", null, List.of("rendering")),
                new GenerationCompleted(id, tenant, SPEC, 1, "fal-req-1", "https://v3.fal.media/files/x/out.mp4",
                        "video/mp4", 3_149_129L, 61_000L),
                new GenerationBilled(id, tenant, 1_120_000, 224_000, 5, "V3", "STANDARD", true, false, "2026-02"),
                archived);

        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("completed")));
        JsonPath done = get(tenant, id).extract().jsonPath();
        assertEquals(1_120_000, done.getInt("cost.amount_micros"));
        assertEquals("1.12", done.getString("cost.amount"));
        assertEquals("USD", done.getString("cost.currency"));
        assertEquals(archived.location(), done.getString("video.location"));
        assertEquals(archived.objectKey(), done.getString("video.object_key"));
        assertSignedVideoUrl(tenant, id, done.getString("video.url"));
        assertEquals(3_149_129, done.getInt("video.bytes"));
        assertEquals(5_042, done.getInt("video.duration_ms"));
        assertEquals(1280, done.getInt("video.width"));
        assertEquals(true, done.getBoolean("video.has_audio"));
        assertEquals(archived.sha256(), done.getString("video.sha256"));
        assertEquals("fal-req-1", done.getString("fal_request_id"));
        assertNull(done.get("error"));
        assertNull(done.get("queue_position"));
        List<String> stages = List.of("requested", "dispatched", "submitted", "in_queue", "in_progress", "rendered",
                "billed", "archived");
        assertEquals(stages, done.getList("timeline.stage"));

        // A late progress report and a redelivered archive and bill change nothing.
        List<RecordMetadata> late = kafka.publish(
                new GenerationProgress(id, tenant, 1, "IN_PROGRESS", null, List.of("late")),
                archived,
                new GenerationBilled(id, tenant, 1_120_000, 224_000, 5, "V3", "STANDARD", true, false, "2026-02"));
        kafka.awaitConsumed(late.get(late.size() - 1));
        JsonPath after = get(tenant, id).extract().jsonPath();
        assertEquals("completed", after.getString("status"));
        assertEquals(stages, after.getList("timeline.stage"));
        assertEquals(done.getString("updated_at"), after.getString("updated_at"));
        assertEquals(1_120_000, after.getInt("cost.amount_micros"));
    }

    @Test
    void aRetryableFailureStaysInProgressAndAFinalOneFails() {
        String tenant = "t-" + UUID.randomUUID();
        String id = accept(tenant);
        kafka.publish(
                new GenerationDispatched(id, tenant, SPEC, null, 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-a"),
                new GenerationFailed(id, tenant, 1, "server_error", "fal 503", true));
        // Not terminal: the dispatcher will retry it.
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id)
                .body("status", equalTo("in_progress"))
                .body("error.type", equalTo("server_error"))
                .body("error.retryable", equalTo(true)));

        kafka.publish(
                new GenerationDispatched(id, tenant, SPEC, null, 2, "normal"),
                new GenerationSubmitted(id, tenant, 2, "fal-b"),
                new GenerationFailed(id, tenant, 2, "content_policy_violation", "refused by fal", false));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id)
                .body("status", equalTo("failed"))
                .body("fal_request_id", equalTo("fal-b"))
                .body("error.type", equalTo("content_policy_violation"))
                .body("error.message", equalTo("refused by fal"))
                .body("error.retryable", equalTo(false)));
    }

    @Test
    void aRejectionEndsItWithTheReason() {
        String tenant = "t-" + UUID.randomUUID();
        String id = accept(tenant);
        kafka.publish(new GenerationRejected(id, tenant, "budget_exceeded", "the monthly budget is spent"));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id)
                .body("status", equalTo("rejected"))
                .body("error.type", equalTo("budget_exceeded"))
                .body("timeline.stage", equalTo(List.of("requested", "rejected"))));
    }

    @Test
    void anUndecodableRecordIsDeadLetteredAndThePartitionMovesOn() {
        String tenant = "t-" + UUID.randomUUID();
        String id = accept(tenant);
        try (ConsumerTask<String, String> dead = kafka.companion().consumeStrings()
                .withGroupId("test-dlq-" + UUID.randomUUID())
                .withOffsetReset(OffsetResetStrategy.EARLIEST)
                .fromTopics(Topics.DEAD_LETTERS)) {
            // Same key, so same partition: the rejection behind it is only folded if the bad record does not stall it.
            kafka.publishRaw(List.of(EventLog.record(id, "this is not a CloudEvent")));
            kafka.publish(new GenerationRejected(id, tenant, "no_price", "no price"));

            await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("rejected")));
            ConsumerRecord<String, String> letter = await().atMost(EventLog.WAIT).until(
                    () -> dead.stream().filter(r -> id.equals(r.key())).findFirst(), java.util.Optional::isPresent)
                    .orElseThrow();
            assertEquals("this is not a CloudEvent", letter.value());
        }
    }

    /**
     * video.url is a link to storage-service signed for the tenant, valid about an hour
     * ({@code request.video-url-validity}), that downloads the video; altered, it opens nothing.
     */
    static void assertSignedVideoUrl(String tenant, String id, String url) {
        String storage = org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getValue("request.storage-public-url", String.class);
        assertTrue(url.startsWith(storage + "/v1/videos/" + id + "?"), url);
        java.net.URI uri = java.net.URI.create(url);
        Map<String, String> query = StorageStub.query(uri.getRawQuery());
        assertEquals(tenant, query.get("tenant"));
        long expires = Long.parseLong(query.get("expires"));
        long inAnHour = java.time.Instant.now().plus(java.time.Duration.ofHours(1)).getEpochSecond();
        assertTrue(expires > inAnHour - 120 && expires <= inAnHour + 5, "expires " + expires);
        assertTrue(StorageStub.opens(ai.vidgen.platform.auth.SignedUrls.video(id), uri.getRawQuery()));
        assertEquals(200, given().get(uri).then().extract().statusCode());
        org.junit.jupiter.api.Assertions.assertArrayEquals(StorageStub.videoBytes(id), given().get(uri).asByteArray());
        given().get(url.replace("tenant=" + tenant, "tenant=someone-else")).then().statusCode(403);
        given().get(url.substring(0, url.indexOf('?'))).then().statusCode(403);
    }

    private static String accept(String tenant) {
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body(Map.of("endpoint_id", ENDPOINT, "input",
                        Map.of("prompt", "a fox", "duration", "5", "generate_audio", true)))
                .post("/v1/generations").then().statusCode(202).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse get(String tenant, String id) {
        return given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200);
    }
}
