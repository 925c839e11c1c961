package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.asAdmin;
import static ai.vidgen.billing.Callers.asService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Replaying the whole event history of the topic, twice, changes nothing in the ledger: every
 * row, with its id, amount and time, is as it was.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ReplayTest {

    private final EventCodec codec = new EventCodec("/vidgen/test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

    @Inject
    Pool pool;

    @Test
    void replayingTheWholeHistoryTwiceLeavesTheLedgerUnchanged() throws Exception {
        try (KafkaCompanion kafka = new KafkaCompanion(bootstrap)) {
            String tenant = "replay-" + UUID.randomUUID();
            String completed = reserve(tenant, new GenerationSpec("fal-ai/kling-video/v3/pro/text-to-video", 15, true, false));
            String retried = reserve(tenant, new GenerationSpec("fal-ai/kling-video/o3/pro/reference-to-video", 5, true, true));
            String failed = reserve(tenant, new GenerationSpec("fal-ai/kling-video/o3/standard/text-to-video", 5, true, false));
            String measured = reserve(tenant, new GenerationSpec("fal-ai/kling-video/o3/standard/video-to-video/edit", 15, false, false));
            String cancelled = reserve(tenant, new GenerationSpec("fal-ai/kling-video/v2.6/pro/text-to-video", 10, true, false));
            GenerationSpec any = new GenerationSpec("fal-ai/kling-video/v3/pro/text-to-video", 15, true, false);
            GenerationSpec edit10 = new GenerationSpec("fal-ai/kling-video/o3/standard/video-to-video/edit", 10, false, false);
            String overrun = reserve(tenant, edit10);
            String lost = reserve(tenant, any);
            String late = reserve(tenant, any);
            produce(kafka, new GenerationCompleted(completed, tenant, any, 1, "r1", "http://x/v.mp4", "video/mp4", 1L, 70_000L));
            produce(kafka, archived(completed, tenant, 15_000));
            produce(kafka, new GenerationFailed(retried, tenant, 1, "downstream_service_error", "5xx", true));
            produce(kafka, new GenerationCompleted(retried, tenant,
                    new GenerationSpec("fal-ai/kling-video/o3/pro/reference-to-video", 5, true, true), 2, "r2",
                    "http://x/v.mp4", "video/mp4", 1L, 80_000L));
            produce(kafka, archived(retried, tenant, 5_000));
            produce(kafka, new GenerationFailed(failed, tenant, 1, "content_policy_violation", "no", false));
            produce(kafka, new GenerationCompleted(measured, tenant,
                    new GenerationSpec("fal-ai/kling-video/o3/standard/video-to-video/edit", 15, false, false), 1, "r3",
                    "http://x/v.mp4", "video/mp4", 1L, 90_000L));
            produce(kafka, archived(measured, tenant, 11_040));
            // Measured longer than reserved, fal's render never archived, and a completion after the
            // abandonment: each leaves a FAL_LOSS row that a replay must not write twice.
            produce(kafka, new GenerationCompleted(overrun, tenant, edit10, 1, "r4", "http://x/v.mp4", "video/mp4", 1L, 1L));
            produce(kafka, archived(overrun, tenant, 11_040));
            produce(kafka, new GenerationCompleted(lost, tenant, any, 1, "r5", "http://x/v.mp4", "video/mp4", 1L, 1L));
            produce(kafka, new ArchiveFailed(lost, tenant, "download_failed", "404"));
            produce(kafka, new GenerationAbandoned(late, tenant, 1, "request_timeout", "no answer"));
            produce(kafka, new GenerationCompleted(late, tenant, any, 1, "r6", "http://x/v.mp4", "video/mp4", 1L, 1L));
            produce(kafka, archived(late, tenant, 15_000));
            produce(kafka, new GenerationCancelled(cancelled, tenant, "user", true));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
                assertThat(kinds(completed)).containsExactly("RESERVE", "SETTLE");
                assertThat(kinds(retried)).containsExactly("RESERVE", "SETTLE");
                assertThat(kinds(failed)).containsExactly("RESERVE", "RELEASE");
                assertThat(kinds(measured)).containsExactly("RESERVE", "SETTLE");
                assertThat(kinds(cancelled)).containsExactly("RESERVE", "RELEASE");
                assertThat(kinds(overrun)).containsExactly("RESERVE", "SETTLE", "FAL_LOSS");
                assertThat(kinds(lost)).containsExactly("RESERVE", "RELEASE", "FAL_LOSS");
                assertThat(kinds(late)).containsExactly("RESERVE", "RELEASE", "FAL_LOSS");
            });
            // Seed 000's multi-shot example; the edit is billed at its measured 11.04 s → 12 s.
            assertThat(amount(completed, "SETTLE")).isEqualTo(5_040_000L);
            assertThat(amount(measured, "SETTLE")).isEqualTo(12 * 168_000L);
            awaitConsumed(kafka);

            String before = ledgerDump();
            long outcomesBefore = outcomeRows();
            List<ConsumerRecord<String, String>> history = readWholeTopic(kafka);
            assertThat(history).hasSizeGreaterThan(7);
            for (int round = 0; round < 2; round++) {
                List<ProducerRecord<String, String>> again = new ArrayList<>();
                for (ConsumerRecord<String, String> r : history) {
                    again.add(new ProducerRecord<>(Topics.GENERATION_EVENTS, null, r.key(), r.value(), r.headers()));
                }
                kafka.produceStrings().fromRecords(again).awaitCompletion(Duration.ofSeconds(60));
            }
            awaitConsumed(kafka);

            assertThat(ledgerDump()).isEqualTo(before);
            assertThat(outcomeRows()).isEqualTo(outcomesBefore);
        }
    }

    /** Every ledger row, all columns, in id order: the ledger as a string. */
    private String ledgerDump() {
        return pool.query("SELECT * FROM ledger_entries ORDER BY id").execute().await().atMost(Duration.ofSeconds(10))
                .stream().map(row -> row.toJson().encode()).collect(Collectors.joining("\n"));
    }

    private long outcomeRows() {
        return pool.query("SELECT count(*) AS n FROM generation_outcomes").execute().await()
                .atMost(Duration.ofSeconds(10)).iterator().next().getLong("n");
    }

    /** Waits until billing-service's consumer group has committed up to the end of the topic, and it stays there. */
    private void awaitConsumed(KafkaCompanion kafka) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<TopicPartition, Long> end = endOffsets(kafka);
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.consumerGroups().offsets("billing-service");
            for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
                OffsetAndMetadata c = committed.get(e.getKey());
                assertThat(c == null ? 0 : c.offset()).as("committed offset of " + e.getKey()).isEqualTo(e.getValue());
            }
        });
    }

    private Map<TopicPartition, Long> endOffsets(KafkaCompanion kafka) throws Exception {
        var description = kafka.getOrCreateAdminClient().describeTopics(List.of(Topics.GENERATION_EVENTS))
                .allTopicNames().get().get(Topics.GENERATION_EVENTS);
        Map<TopicPartition, OffsetSpec> latest = description.partitions().stream().collect(Collectors.toMap(
                p -> new TopicPartition(Topics.GENERATION_EVENTS, p.partition()), p -> OffsetSpec.latest()));
        return kafka.offsets().list(latest).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    private List<ConsumerRecord<String, String>> readWholeTopic(KafkaCompanion kafka) throws Exception {
        long total = endOffsets(kafka).values().stream().mapToLong(Long::longValue).sum();
        var task = kafka.consumeStrings().fromTopics(Topics.GENERATION_EVENTS, total);
        try {
            task.awaitCompletion(Duration.ofSeconds(60));
            return new ArrayList<>(task.getRecords());
        } finally {
            task.stop();
        }
    }

    private String reserve(String tenant, GenerationSpec spec) {
        String generation = UUID.randomUUID().toString();
        asService().contentType(ContentType.JSON)
                .body(Map.of("generationId", generation, "tenantId", tenant, "spec", spec))
                .post("/v1/reservations").then().statusCode(200);
        return generation;
    }

    private List<String> kinds(String generation) {
        return asAdmin().queryParam("generationId", generation).get("/v1/ledger").then().statusCode(200)
                .extract().jsonPath().getList("kind", String.class);
    }

    private long amount(String generation, String kind) {
        return asAdmin().queryParam("generationId", generation).get("/v1/ledger").then().statusCode(200)
                .extract().jsonPath().getLong("find { it.kind == '" + kind + "' }.amountMicros");
    }

    private static VideoArchived archived(String generation, String tenant, long durationMillis) {
        return new VideoArchived(generation, tenant, "k", "s3://b/k", "video/mp4", 1, "00", durationMillis, 1280, 720, false);
    }

    private void produce(KafkaCompanion kafka, GenerationEvent event) {
        kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS, codec, event))
                .awaitCompletion();
    }
}
