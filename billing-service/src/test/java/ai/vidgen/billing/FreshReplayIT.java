package ai.vidgen.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.infra.QuarkusApp;
import ai.vidgen.testsupport.quarkus.SharedInfrastructure;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Issue 6's replay line, on the packaged service ({@code target/quarkus-app}) run as processes
 * against real Kafka and PostgreSQL: a history made the way the platform makes it (reservations
 * over REST as the dispatcher asks for them, then the lifecycle events the services publish,
 * GenerationReserved included) is billed by instance A into ledger L. A fresh billing-service (an
 * empty database, a new consumer group) replays the whole topic from its beginning and ends with
 * L; replaying the whole topic once more into it changes nothing at all.
 */
class FreshReplayIT {

    private static final String ADMIN_TOKEN = PackagedBilling.ADMIN_TOKEN;
    private static final String SERVICE_TOKEN = PackagedBilling.SERVICE_TOKEN;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    /** What the comparison looks at: no surrogate id; the time of settlements and releases, which come from events. */
    private static final String LEDGER = """
            SELECT generation_id, tenant_id, kind, amount_micros, rate_micros_per_second, seconds, endpoint_id,
                   model_family, tier, audio, voice_control, price_book_version, source_event_id, reason, loss_cause,
                   CASE WHEN kind = 'RESERVE' THEN NULL
                        ELSE (extract(epoch FROM created_at) * 1000000)::bigint END
            FROM ledger_entries ORDER BY generation_id, kind""";

    private final EventCodec requestService = new EventCodec("/vidgen/request-service");
    private final EventCodec dispatcher = new EventCodec("/vidgen/dispatcher-service");
    private final EventCodec adapter = new EventCodec("/vidgen/fal-adapter");
    private final EventCodec storage = new EventCodec("/vidgen/storage-service");

    private static PostgresServer postgres;
    private static String bootstrap;
    private static KafkaCompanion kafka;
    private static String dbA;
    private static String dbB;

    @BeforeAll
    static void infrastructure() {
        postgres = SharedInfrastructure.postgres();
        bootstrap = SharedInfrastructure.kafkaBootstrapServers();
        kafka = new KafkaCompanion(bootstrap);
        // Unique names: with VIDGEN_TEST_PGHOST the server outlives the test, and B must start empty.
        String suffix = ProcessHandle.current().pid() + "_" + Long.toString(System.nanoTime(), 36);
        dbA = "billing_live_" + suffix;
        dbB = "billing_fresh_" + suffix;
        postgres.ensureDatabase(dbA);
        postgres.ensureDatabase(dbB);
    }

    @AfterAll
    static void close() {
        if (kafka != null) {
            kafka.close();
        }
    }

    @Test
    void aFreshServiceReplayingTheWholeTopicTwiceEndsWithTheSameLedger() throws Exception {
        String tenant = "replay-it-" + UUID.randomUUID();
        Map<String, String> expectedKinds = new TreeMap<>();
        Map<String, String> generation = new HashMap<>();
        String version = "it-" + UUID.randomUUID().toString().substring(0, 8);

        String liveGroup = "billing-live-" + UUID.randomUUID();
        try (QuarkusApp live = start("billing-live", dbA, liveGroup)) {
            // Seed 000's multi-shot example, charged once its video is archived.
            String g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v3/pro/text-to-video", 15, true, false));
            dispatched(g, tenant, "fal-ai/kling-video/v3/pro/text-to-video", 15, true, false, 1);
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/v3/pro/text-to-video", 15, true, false, 1));
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/v3/pro/text-to-video", 15, true, false, 1));
            publish(storage, archived(g, tenant, 15_000));
            publish(storage, archived(g, tenant, 15_000));
            generation.put("completed", g);
            expectedKinds.put(g, "RESERVE,SETTLE");

            // A retryable failure keeps the reservation; the second attempt completes.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/o3/pro/reference-to-video", 5, true, true));
            dispatched(g, tenant, "fal-ai/kling-video/o3/pro/reference-to-video", 5, true, true, 1);
            publish(adapter, new GenerationFailed(g, tenant, 1, "downstream_service_error", "502", true));
            dispatched(g, tenant, "fal-ai/kling-video/o3/pro/reference-to-video", 5, true, true, 2);
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/o3/pro/reference-to-video", 5, true, true, 2));
            publish(storage, archived(g, tenant, 5_000));
            expectedKinds.put(g, "RESERVE,SETTLE");

            // A final failure releases.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/o3/standard/text-to-video", 5, true, false));
            dispatched(g, tenant, "fal-ai/kling-video/o3/standard/text-to-video", 5, true, false, 1);
            publish(adapter, new GenerationFailed(g, tenant, 1, "content_policy_violation", "refused", false));
            expectedKinds.put(g, "RESERVE,RELEASE");

            // Cancelled before it started, by a user and by its deadline.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v2.6/pro/text-to-video", 10, true, false));
            publish(dispatcher, new GenerationCancelled(g, tenant, "cancelled", true));
            expectedKinds.put(g, "RESERVE,RELEASE");
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5, false, false));
            publish(dispatcher, new GenerationCancelled(g, tenant, "deadline_passed", true));
            expectedKinds.put(g, "RESERVE,RELEASE");

            // The output decides the length: billed at the archived video's measured 11.04 s → 12 s.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/o3/standard/video-to-video/edit", 15, false, false));
            dispatched(g, tenant, "fal-ai/kling-video/o3/standard/video-to-video/edit", 15, false, false, 1);
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/o3/standard/video-to-video/edit", 15, false, false, 1));
            publish(storage, archived(g, tenant, 11_040));
            generation.put("measured", g);
            expectedKinds.put(g, "RESERVE,SETTLE");

            // Measured longer than reserved: charged the reservation, the 2 s beyond it are fal's loss.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/o3/standard/video-to-video/edit", 10, false, false));
            dispatched(g, tenant, "fal-ai/kling-video/o3/standard/video-to-video/edit", 10, false, false, 1);
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/o3/standard/video-to-video/edit", 10, false, false, 1));
            publish(storage, archived(g, tenant, 11_040));
            generation.put("overrun", g);
            expectedKinds.put(g, "RESERVE,SETTLE,FAL_LOSS");

            // fal rendered it, storage could not archive it: released, fal's cost a loss.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 10, false, false));
            dispatched(g, tenant, "fal-ai/kling-video/v3/standard/text-to-video", 10, false, false, 1);
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/v3/standard/text-to-video", 10, false, false, 1));
            publish(storage, new ArchiveFailed(g, tenant, "download_failed", "fal's URL answered 404"));
            generation.put("archiveFailed", g);
            expectedKinds.put(g, "RESERVE,RELEASE,FAL_LOSS");

            // Retryable failures until the dispatcher gives up: released.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v3/standard/image-to-video", 5, true, false));
            dispatched(g, tenant, "fal-ai/kling-video/v3/standard/image-to-video", 5, true, false, 1);
            publish(adapter, new GenerationFailed(g, tenant, 1, "downstream_service_error", "503", true));
            dispatched(g, tenant, "fal-ai/kling-video/v3/standard/image-to-video", 5, true, false, 2);
            publish(adapter, new GenerationFailed(g, tenant, 2, "downstream_service_error", "503", true));
            publish(dispatcher, new GenerationAbandoned(g, tenant, 2, "downstream_service_error", "503"));
            generation.put("abandoned", g);
            expectedKinds.put(g, "RESERVE,RELEASE");

            // Abandoned, then fal completed the last attempt after all: not charged, fal's cost a loss.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v2.6/pro/text-to-video", 5, false, false));
            dispatched(g, tenant, "fal-ai/kling-video/v2.6/pro/text-to-video", 5, false, false, 1);
            publish(dispatcher, new GenerationAbandoned(g, tenant, 1, "request_timeout", "no answer"));
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/v2.6/pro/text-to-video", 5, false, false, 1));
            publish(storage, archived(g, tenant, 5_000));
            generation.put("late", g);
            expectedKinds.put(g, "RESERVE,RELEASE,FAL_LOSS");

            // Still retrying: the reservation stays open.
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v3/pro/image-to-video", 5, false, false));
            dispatched(g, tenant, "fal-ai/kling-video/v3/pro/image-to-video", 5, false, false, 1);
            publish(adapter, new GenerationFailed(g, tenant, 1, "downstream_service_error", "429", true));
            expectedKinds.put(g, "RESERVE");

            // Refused at admission (no budget left; no price): nothing in the ledger.
            String poor = tenant + "-poor";
            send(live, "PUT", "/v1/budgets/" + poor, "{\"limitMicros\": 0}", ADMIN_TOKEN, 200);
            rejected(live, poor, new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5, true, false), 402);
            rejected(live, tenant, new GenerationSpec("fal-ai/kling-video/v2.5-turbo/pro/text-to-video", 5, true, false), 422);

            // A price book version added through the admin API lives in A's database only: a fresh
            // database cannot quote it, and still has to end with the same ledger.
            Instant effective = Instant.now().plusMillis(1500).truncatedTo(ChronoUnit.MILLIS);
            send(live, "POST", "/v1/price-books", """
                    {"version":"%s","effectiveFrom":"%s","source":"replay test",
                     "rates":[{"modelFamily":"V3","tier":"STANDARD","audioMode":"ON","microsPerSecond":230000}]}"""
                    .formatted(version, effective), ADMIN_TOKEN, 201);
            await().atMost(Duration.ofSeconds(10)).until(() -> Instant.now().isAfter(effective));
            g = admitted(live, tenant, new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5, true, false));
            dispatched(g, tenant, "fal-ai/kling-video/v3/standard/text-to-video", 5, true, false, 1);
            publish(adapter, completed(g, tenant, "fal-ai/kling-video/v3/standard/text-to-video", 5, true, false, 1));
            publish(storage, archived(g, tenant, 5_000));
            generation.put("newVersion", g);
            expectedKinds.put(g, "RESERVE,SETTLE");

            await().atMost(Duration.ofSeconds(90)).untilAsserted(() ->
                    assertThat(kindsByGeneration(dbA)).containsAllEntriesOf(expectedKinds));

            // An operator's refund is an act, not a lifecycle event: billing announces it as
            // ChargeCorrected, so a fresh service holds it too. A retry with its id changes nothing.
            String refund = """
                    {"correctionId":"goodwill-%s","generationId":"%s","amountMicros":-150000,"reason":"goodwill"}"""
                    .formatted(g, g);
            send(live, "POST", "/v1/ledger/corrections", refund, ADMIN_TOKEN, 201);
            send(live, "POST", "/v1/ledger/corrections", refund, ADMIN_TOKEN, 200);
            expectedKinds.put(g, "RESERVE,SETTLE,CORRECTION");
            awaitConsumed(liveGroup);
        }

        String ledgerL = postgres.psql(dbA, LEDGER);
        assertThat(kindsByGeneration(dbA)).isEqualTo(expectedKinds);
        assertThat(ledgerL).contains(generation.get("completed") + "|" + tenant + "|SETTLE|5040000|336000|15|");
        assertThat(ledgerL).contains(generation.get("measured") + "|" + tenant + "|SETTLE|2016000|168000|12|");
        assertThat(ledgerL).contains(generation.get("newVersion") + "|" + tenant + "|SETTLE|1150000|230000|5|");
        assertThat(ledgerL).contains(generation.get("abandoned") + "|" + tenant + "|RELEASE|");
        assertThat(ledgerL).contains(generation.get("overrun") + "|" + tenant + "|SETTLE|1680000|168000|10|");
        assertThat(ledgerL).contains(generation.get("overrun") + "|" + tenant + "|FAL_LOSS|336000|168000|2|");
        assertThat(ledgerL).contains(generation.get("archiveFailed") + "|" + tenant + "|FAL_LOSS|1680000|168000|10|");
        assertThat(ledgerL).contains(generation.get("late") + "|" + tenant + "|FAL_LOSS|350000|70000|5|");
        assertThat(ledgerL).contains(generation.get("newVersion") + "|" + tenant + "|CORRECTION|-150000|0|0|");
        Map<TopicPartition, Long> endOfLiveHistory = endOffsets();
        Map<String, JsonNode> billedByLive = billed(Map.of(), endOfLiveHistory);
        assertThat(billedByLive).hasSize(5);

        // A fresh service: an empty database, a consumer group that has never read the topic.
        String firstReplay = "billing-replay-1-" + UUID.randomUUID();
        try (QuarkusApp fresh = start("billing-fresh-1", dbB, firstReplay)) {
            awaitConsumed(firstReplay);
        }
        assertThat(postgres.psql(dbB, LEDGER)).isEqualTo(ledgerL);
        // Its GenerationBilled events repeat the live ones under the same CloudEvent ids: no double charge.
        Map<String, JsonNode> billedByFresh = billed(endOfLiveHistory, endOffsets());
        assertThat(billedByFresh).isEqualTo(billedByLive);

        // The whole topic once more, into the same database: nothing changes, ids and times included.
        String everything = postgres.psql(dbB, "SELECT * FROM ledger_entries ORDER BY id");
        String secondReplay = "billing-replay-2-" + UUID.randomUUID();
        try (QuarkusApp again = start("billing-fresh-2", dbB, secondReplay)) {
            awaitConsumed(secondReplay);
        }
        assertThat(postgres.psql(dbB, "SELECT * FROM ledger_entries ORDER BY id")).isEqualTo(everything);
        assertThat(postgres.psql(dbB, LEDGER)).isEqualTo(ledgerL);
    }

    // --- the live flow, as the platform's services make it ---

    /**
     * What the request-service and the dispatcher do for an admitted generation: the request,
     * the reservation over REST, and the GenerationReserved the dispatcher then publishes with
     * billing's answer.
     */
    private String admitted(QuarkusApp billing, String tenant, GenerationSpec spec) throws Exception {
        String id = UUID.randomUUID().toString();
        Instant acceptedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS);
        publish(requestService, new GenerationRequested(id, tenant, spec, EventCodec.mapper().createObjectNode(),
                "normal", null, acceptedAt));
        JsonNode granted = reserve(billing, id, tenant, spec, acceptedAt, 200);
        publish(dispatcher, new GenerationReserved(id, tenant, spec, acceptedAt, granted.get("amountMicros").asLong(),
                granted.get("priceBookVersion").asText()));
        return id;
    }

    private void rejected(QuarkusApp billing, String tenant, GenerationSpec spec, int status) throws Exception {
        String id = UUID.randomUUID().toString();
        Instant acceptedAt = Instant.now();
        publish(requestService, new GenerationRequested(id, tenant, spec, EventCodec.mapper().createObjectNode(),
                "normal", null, acceptedAt));
        JsonNode refusal = reserve(billing, id, tenant, spec, acceptedAt, status);
        publish(dispatcher, new GenerationRejected(id, tenant, refusal.get("reason").asText(), refusal.get("detail").asText()));
    }

    private JsonNode reserve(QuarkusApp billing, String id, String tenant, GenerationSpec spec, Instant acceptedAt,
            int status) throws Exception {
        String body = EventCodec.mapper().writeValueAsString(Map.of("generationId", id, "tenantId", tenant,
                "spec", spec, "acceptedAt", acceptedAt.toString()));
        return send(billing, "POST", "/v1/reservations", body, SERVICE_TOKEN, status);
    }

    private void dispatched(String id, String tenant, String endpoint, int seconds, boolean audio, boolean voice,
            int attempt) {
        publish(dispatcher, new GenerationDispatched(id, tenant, new GenerationSpec(endpoint, seconds, audio, voice),
                EventCodec.mapper().createObjectNode(), attempt, "normal"));
        publish(adapter, new GenerationSubmitted(id, tenant, attempt, "fal-" + id + "-" + attempt));
    }

    private static GenerationCompleted completed(String id, String tenant, String endpoint, int seconds, boolean audio,
            boolean voice, int attempt) {
        return new GenerationCompleted(id, tenant, new GenerationSpec(endpoint, seconds, audio, voice), attempt,
                "fal-" + id + "-" + attempt, "http://127.0.0.1/" + id + ".mp4", "video/mp4", 1_000L, 60_000L);
    }

    private static VideoArchived archived(String id, String tenant, long durationMillis) {
        return new VideoArchived(id, tenant, "k/" + id + ".mp4", "file:///videos/" + id + ".mp4", "video/mp4", 1_000,
                "00", durationMillis, 1280, 720, false);
    }

    private void publish(EventCodec codec, GenerationEvent event) {
        kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS, codec, event))
                .awaitCompletion(Duration.ofSeconds(30));
    }

    // --- the service ---

    private static QuarkusApp start(String name, String database, String group) {
        return PackagedBilling.start(name, postgres, database, bootstrap, group);
    }

    private static JsonNode send(QuarkusApp app, String method, String path, String json, String token, int status)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(app.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(json));
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(status);
        return EventCodec.mapper().readTree(response.body());
    }

    // --- reading the results ---

    private static Map<String, String> kindsByGeneration(String database) {
        String out = postgres.psql(database,
                "SELECT generation_id, string_agg(kind, ',' ORDER BY id) FROM ledger_entries GROUP BY generation_id");
        Map<String, String> kinds = new TreeMap<>();
        out.lines().filter(l -> !l.isBlank()).map(l -> l.split("\\|")).forEach(f -> kinds.put(f[0], f[1]));
        return kinds;
    }

    /**
     * Waits until the group has committed the end of every partition. The service commits an
     * offset only once the record is processed and what it published is acknowledged, so the
     * events it publishes along the way are inside the end it reaches.
     */
    private static void awaitConsumed(String group) {
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            Map<TopicPartition, OffsetAndMetadata> committed = kafka.consumerGroups().offsets(group);
            for (Map.Entry<TopicPartition, Long> end : endOffsets().entrySet()) {
                OffsetAndMetadata c = committed.get(end.getKey());
                assertThat(c == null ? 0 : c.offset()).as(group + " at " + end.getKey()).isEqualTo(end.getValue());
            }
        });
    }

    private static Map<TopicPartition, Long> endOffsets() throws Exception {
        return PackagedBilling.endOffsets(kafka, Topics.GENERATION_EVENTS);
    }

    /**
     * The GenerationBilled events billing published between two positions of the topic, by
     * CloudEvent id; asserts each id carries one charge however often it was announced.
     */
    private static Map<String, JsonNode> billed(Map<TopicPartition, Long> from, Map<TopicPartition, Long> to) {
        long total = to.values().stream().mapToLong(Long::longValue).sum();
        var task = kafka.consumeStrings().fromTopics(Topics.GENERATION_EVENTS, total);
        List<ConsumerRecord<String, String>> records;
        try {
            task.awaitCompletion(Duration.ofSeconds(60));
            records = new ArrayList<>(task.getRecords());
        } finally {
            task.stop();
        }
        Map<String, JsonNode> billed = new TreeMap<>();
        for (ConsumerRecord<String, String> r : records) {
            TopicPartition tp = new TopicPartition(r.topic(), r.partition());
            if (r.offset() < from.getOrDefault(tp, 0L) || r.offset() >= to.getOrDefault(tp, 0L)) {
                continue;
            }
            DecodedEvent event = EventCodec.decode(r.value());
            if (event.data() instanceof GenerationBilled) {
                assertThat(event.envelope().source()).isEqualTo("/vidgen/billing-service");
                JsonNode data = event.envelope().data();
                JsonNode earlier = billed.putIfAbsent(event.envelope().id(), data);
                assertThat(earlier == null ? data : earlier).as("charge under " + event.envelope().id()).isEqualTo(data);
            }
        }
        return billed;
    }
}
