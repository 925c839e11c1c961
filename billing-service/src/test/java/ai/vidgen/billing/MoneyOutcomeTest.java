package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.asAdmin;
import static ai.vidgen.billing.Callers.asService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every accepted generation has exactly one money outcome, and the tenant pays only for a video it
 * got: charged when the video is archived, released when it is not, and what fal charged us for a
 * video the tenant does not pay for is a FAL_LOSS row outside the tenant's usage and budget.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class MoneyOutcomeTest {

    private static final String V3_STANDARD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    private static final String V3_STANDARD_MOTION = "fal-ai/kling-video/v3/standard/motion-control";
    private final EventCodec codec = new EventCodec("/vidgen/test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Pool pool;

    KafkaCompanion kafka;

    @BeforeEach
    void connect() {
        kafka = new KafkaCompanion(bootstrap);
    }

    @AfterEach
    void close() {
        kafka.close();
    }

    @Test
    void aCompletedRenderIsNotChargedUntilItsVideoIsArchived() {
        String tenant = tenant();
        String generation = reserve(tenant, V3_STANDARD_T2V, 5, true, 1_120_000);
        produce(completed(generation, tenant, V3_STANDARD_T2V, 5, true));
        await().atMost(Duration.ofSeconds(30)).until(() -> completionRecorded(generation));
        assertThat(ledger(generation)).containsExactly("RESERVE 1120000");

        produce(archived(generation, tenant, 5_000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "SETTLE 1120000"));
    }

    @Test
    void aFailedArchiveChargesTheTenantNothingAndRecordsFalsCostAsALoss() {
        String tenant = tenant();
        budget(tenant, 1_120_000);
        double lossBefore = metric("billing_unbilled_loss_micros_total{cause=\"archive_failed\"");
        String generation = reserve(tenant, V3_STANDARD_T2V, 5, true, 1_120_000);
        produce(completed(generation, tenant, V3_STANDARD_T2V, 5, true));
        ArchiveFailed failed = new ArchiveFailed(generation, tenant, "download_failed", "fal's URL answered 404");
        // Redelivered: still one release and one loss.
        produce(failed);
        produce(failed);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger(generation))
                .containsExactly("RESERVE 1120000", "RELEASE 1120000", "FAL_LOSS 1120000"));
        awaitLedgerQuiet(generation);
        assertThat(ledger(generation)).hasSize(3);
        asAdmin().queryParam("generationId", generation).get("/v1/ledger").then().statusCode(200)
                .body("find { it.kind == 'FAL_LOSS' }.seconds", equalTo(5))
                .body("find { it.kind == 'FAL_LOSS' }.reason", org.hamcrest.Matchers.containsString("download_failed"));
        // Nothing charged: the tenant's usage is empty, its whole budget is back.
        asAdmin().queryParam("tenantId", tenant).get("/v1/usage").then().statusCode(200)
                .body("totalChargedMicros", equalTo(0));
        asAdmin().get("/v1/budgets/" + tenant).then().statusCode(200)
                .body("committedMicros", equalTo(0)).body("remainingMicros", equalTo(1_120_000));
        assertThat(metric("billing_unbilled_loss_micros_total{cause=\"archive_failed\"") - lossBefore)
                .isEqualTo(1_120_000.0);
        assertThat(billedCount(generation)).isZero();
        // The reconciliation gauge, read from the ledger, carries it too.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(
                metric("billing_ledger_unbilled_loss_micros{cause=\"archive_failed\",fal_endpoint=\"" + V3_STANDARD_T2V
                        + "\",tenant=\"" + tenant + "\"")).isEqualTo(1_120_000.0));
    }

    @Test
    void aCompletionAfterTheAbandonmentIsNotChargedButItsFalCostIsALoss() {
        String tenant = tenant();
        double lateBefore = metric("billing_late_completions_total");
        String generation = reserve(tenant, V3_STANDARD_T2V, 5, true, 1_120_000);
        produce(new GenerationAbandoned(generation, tenant, 3, "request_timeout", "no answer"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "RELEASE 1120000"));

        // fal finished the last attempt after all, and storage archived it (twice: a redelivery).
        produce(completed(generation, tenant, V3_STANDARD_T2V, 5, true));
        produce(archived(generation, tenant, 5_000));
        produce(archived(generation, tenant, 5_000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger(generation))
                .containsExactly("RESERVE 1120000", "RELEASE 1120000", "FAL_LOSS 1120000"));
        awaitLedgerQuiet(generation);
        assertThat(ledger(generation)).doesNotContain("SETTLE 1120000").hasSize(3);
        assertThat(metric("billing_late_completions_total") - lateBefore).isEqualTo(1.0);
        asAdmin().queryParam("tenantId", tenant).get("/v1/usage").then().statusCode(200)
                .body("totalChargedMicros", equalTo(0));
        assertThat(billedCount(generation)).isZero();
    }

    @Test
    void aCancelAfterTheRenderIsTooLateTheDeliveredVideoIsCharged() {
        String tenant = tenant();
        String generation = reserve(tenant, V3_STANDARD_T2V, 5, true, 1_120_000);
        produce(completed(generation, tenant, V3_STANDARD_T2V, 5, true));
        produce(new GenerationCancelled(generation, tenant, "cancelled", false));
        produce(archived(generation, tenant, 5_000));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "SETTLE 1120000"));
    }

    @Test
    void aCancellationThatOvertakesItsReservationLeavesNothingHeld() {
        String tenant = tenant();
        budget(tenant, 1_120_000);
        String generation = UUID.randomUUID().toString();
        // The dispatcher cancelled while its call to reserve was on the way; billing sees the
        // cancellation first.
        produce(new GenerationCancelled(generation, tenant, "cancelled", true));
        await().atMost(Duration.ofSeconds(30)).until(() -> endRecorded(generation));

        reservation(generation, tenant).then().statusCode(409)
                .contentType("application/problem+json")
                .body("reason", equalTo("generation_ended"));
        assertThat(ledger(generation)).isEmpty();
        asAdmin().get("/v1/budgets/" + tenant).then().statusCode(200)
                .body("committedMicros", equalTo(0)).body("remainingMicros", equalTo(1_120_000));
    }

    @Test
    void aReservationRebuiltAfterItsGenerationsEndIsReleasedAtOnce() {
        String tenant = tenant();
        budget(tenant, 10_000_000);
        String generation = UUID.randomUUID().toString();
        GenerationSpec spec = new GenerationSpec(V3_STANDARD_T2V, 5, true, false);
        // The topic's order when the dispatcher's grant lost the race with its own cancellation:
        // the end first, then the reservation (twice: a redelivery).
        produce(new GenerationCancelled(generation, tenant, "deadline_passed", true));
        GenerationReserved reserved = new GenerationReserved(generation, tenant, spec,
                Instant.parse("2026-11-01T00:00:00Z"), 1_120_000L, "2026-02");
        produce(reserved);
        produce(reserved);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "RELEASE 1120000"));
        awaitLedgerQuiet(generation);
        assertThat(ledger(generation)).hasSize(2);
        asAdmin().get("/v1/budgets/" + tenant).then().statusCode(200).body("committedMicros", equalTo(0));
    }

    @Test
    void aVideoLongerThanItsReservationIsChargedTheReservationAndTheRestIsALoss() {
        String tenant = tenant();
        // Exactly the reservation: 5 s of motion control at $0.168.
        budget(tenant, 840_000);
        double overrunsBefore = metric("billing_overruns_total");
        String byEndpoint = "{fal_endpoint=\"" + V3_STANDARD_MOTION + "\"}";
        double overrunMicrosBefore = metric("billing_overrun_micros_total" + byEndpoint);
        String generation = reserve(tenant, V3_STANDARD_MOTION, 5, false, 840_000);
        produce(completed(generation, tenant, V3_STANDARD_MOTION, 5, false));
        // Measured 7.3 s → 8 s: 3 s beyond the reservation. Redelivered once.
        produce(archived(generation, tenant, 7_300));
        produce(archived(generation, tenant, 7_300));

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(ledger(generation))
                .containsExactly("RESERVE 840000", "SETTLE 840000", "FAL_LOSS 504000"));
        awaitLedgerQuiet(generation);
        assertThat(ledger(generation)).hasSize(3);
        asAdmin().queryParam("generationId", generation).get("/v1/ledger").then().statusCode(200)
                .body("find { it.kind == 'SETTLE' }.seconds", equalTo(5))
                .body("find { it.kind == 'FAL_LOSS' }.seconds", equalTo(3))
                .body("find { it.kind == 'FAL_LOSS' }.reason", org.hamcrest.Matchers.containsString("measured 8 s"));
        // The budget is met, never passed.
        asAdmin().get("/v1/budgets/" + tenant).then().statusCode(200)
                .body("committedMicros", equalTo(840_000)).body("remainingMicros", equalTo(0));
        assertThat(metric("billing_overruns_total") - overrunsBefore).isEqualTo(1.0);
        // What the overrun alert (deploy/prometheus/alerts.yml) watches: fal's price of the 3 s beyond.
        assertThat(metric("billing_overrun_micros_total" + byEndpoint) - overrunMicrosBefore).isEqualTo(504_000.0);
        assertThat(billedCount(generation)).isPositive();
    }

    @Test
    void theDatabaseRefusesASettlementAndAReleaseOfOneGeneration() {
        String tenant = tenant();
        String generation = reserve(tenant, V3_STANDARD_T2V, 5, true, 1_120_000);
        produce(new GenerationCancelled(generation, tenant, "cancelled", true));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "RELEASE 1120000"));
        // Whatever code tries it, a second money outcome is a unique violation.
        Throwable refused = org.assertj.core.api.Assertions.catchThrowable(() -> pool.preparedQuery("""
                INSERT INTO ledger_entries (generation_id, tenant_id, kind, amount_micros, seconds, rate_micros_per_second,
                    endpoint_id, model_family, tier, audio, voice_control, price_book_version)
                SELECT generation_id, tenant_id, 'SETTLE', amount_micros, seconds, rate_micros_per_second, endpoint_id,
                    model_family, tier, audio, voice_control, price_book_version
                FROM ledger_entries WHERE generation_id = $1 AND kind = 'RESERVE'""")
                .execute(Tuple.of(generation)).await().atMost(Duration.ofSeconds(10)));
        assertThat(refused).hasMessageContaining("ledger_one_outcome");
    }

    // --- helpers ---

    private static String tenant() {
        return "money-" + UUID.randomUUID();
    }

    private static io.restassured.response.Response reservation(String generation, String tenant) {
        return asService().contentType(ContentType.JSON)
                .body("""
                        {"generationId":"%s","tenantId":"%s","acceptedAt":"2026-11-01T00:00:00Z",
                         "spec":{"endpointId":"%s","seconds":5,"audio":true,"voiceControl":false}}"""
                        .formatted(generation, tenant, V3_STANDARD_T2V))
                .post("/v1/reservations");
    }

    private boolean endRecorded(String generation) {
        return pool.preparedQuery("SELECT 1 FROM generations_ended_unreserved WHERE generation_id = $1")
                .execute(Tuple.of(generation)).await().atMost(Duration.ofSeconds(10)).size() > 0;
    }

    private String reserve(String tenant, String endpoint, int seconds, boolean audio, int expectedMicros) {
        String generation = UUID.randomUUID().toString();
        asService().contentType(ContentType.JSON)
                .body("""
                        {"generationId":"%s","tenantId":"%s","acceptedAt":"2026-11-01T00:00:00Z",
                         "spec":{"endpointId":"%s","seconds":%d,"audio":%s,"voiceControl":false}}"""
                        .formatted(generation, tenant, endpoint, seconds, audio))
                .post("/v1/reservations").then().statusCode(200).body("amountMicros", equalTo(expectedMicros));
        return generation;
    }

    private void budget(String tenant, long limitMicros) {
        asAdmin().contentType(ContentType.JSON).body("{\"limitMicros\": " + limitMicros + "}")
                .put("/v1/budgets/" + tenant).then().statusCode(200);
    }

    private static GenerationCompleted completed(String generation, String tenant, String endpoint, int seconds,
            boolean audio) {
        return new GenerationCompleted(generation, tenant, new GenerationSpec(endpoint, seconds, audio, false), 1,
                "fal-" + generation, "http://127.0.0.1/" + generation + ".mp4", "video/mp4", 1000L, 3000L);
    }

    private static VideoArchived archived(String generation, String tenant, long durationMillis) {
        return new VideoArchived(generation, tenant, "k/" + generation, "s3://b/k/" + generation, "video/mp4", 1000,
                "00", durationMillis, 1280, 720, false);
    }

    private List<String> ledger(String generation) {
        return asAdmin().queryParam("generationId", generation).get("/v1/ledger")
                .then().statusCode(200).extract().jsonPath()
                .getList("collect { it.kind + ' ' + it.amountMicros }", String.class);
    }

    private boolean completionRecorded(String generation) {
        return pool.preparedQuery("SELECT 1 FROM generation_outcomes WHERE generation_id = $1 AND outcome = 'COMPLETED'")
                .execute(Tuple.of(generation)).await().atMost(Duration.ofSeconds(10)).size() > 0;
    }

    /**
     * Waits until billing's consumer group has committed the end of every partition, so that the
     * redeliveries have been processed (and wrote nothing) before the ledger is judged. Billing
     * commits a record only once what it published for it is acknowledged.
     */
    private void awaitLedgerQuiet(String generation) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(300)).untilAsserted(() -> {
            var committed = kafka.consumerGroups().offsets("billing-service");
            for (var end : endOffsets().entrySet()) {
                var c = committed.get(end.getKey());
                assertThat(c == null ? 0 : c.offset()).as(generation + " at " + end.getKey()).isEqualTo(end.getValue());
            }
        });
    }

    private Map<TopicPartition, Long> endOffsets() throws Exception {
        var description = kafka.getOrCreateAdminClient().describeTopics(List.of(Topics.GENERATION_EVENTS))
                .allTopicNames().get().get(Topics.GENERATION_EVENTS);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream().collect(Collectors.toMap(
                p -> new TopicPartition(Topics.GENERATION_EVENTS, p.partition()), p -> OffsetSpec.latest()));
        return kafka.offsets().list(latest).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** The GenerationBilled events published for the generation: the whole topic, read to its end. */
    private long billedCount(String generation) {
        try {
            awaitLedgerQuiet(generation);
            long total = endOffsets().values().stream().mapToLong(Long::longValue).sum();
            var task = kafka.consumeStrings().fromTopics(Topics.GENERATION_EVENTS, total);
            try {
                task.awaitCompletion(Duration.ofSeconds(60));
                return task.getRecords().stream().filter(r -> generation.equals(r.key()))
                        .filter(r -> EventCodec.decode(r.value()).data() instanceof GenerationBilled).count();
            } finally {
                task.stop();
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The sum of the samples of a series at /q/metrics whose line starts with the prefix; 0 if none. */
    private static double metric(String prefix) {
        String body = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();
        // A sample line may end with an exemplar ("# {trace_id=...} value time"): the value is before it.
        return body.lines().filter(l -> l.startsWith(prefix)).map(l -> l.split(" # ")[0].trim())
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private void produce(GenerationEvent event) {
        kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS, codec, event))
                .awaitCompletion();
    }
}
