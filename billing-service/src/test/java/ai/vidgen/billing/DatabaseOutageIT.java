package ai.vidgen.billing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.platform.messaging.ConsumerHealth;
import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.infra.QuarkusApp;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * The acceptance line of the consumer template, on the packaged service run as a process: billing's
 * PostgreSQL goes down for {@code -Dvidgen.outage} (3 minutes by default) while generations end.
 * The consumer must wait the outage out (readiness DOWN meanwhile, check {@code event consumers}),
 * then settle or release every generation exactly once, dead-letter nothing, and be ready again.
 * The previous consumer gave up after 20 attempts (about 80 s) and dead-lettered valid money events.
 *
 * <p>The test has infrastructure of its own, not the JVM's shared servers: a PostgreSQL cluster,
 * which it stops and starts in place (same data directory and port), and a Kafka broker, so that its events are not in
 * the history {@link FreshReplayIT} replays, and "nothing dead-lettered" means exactly that.
 */
class DatabaseOutageIT {

    private static final Duration OUTAGE = Duration.parse(System.getProperty("vidgen.outage", "PT3M"));
    private static final int GENERATIONS = 20;
    private static final String DATABASE = "billing_outage";
    private static final GenerationSpec SPEC =
            new GenerationSpec("fal-ai/kling-video/v3/standard/text-to-video", 5, true, false);
    /** {@link #SPEC}'s price in the shipped price book: 5 s × 0.224 USD. */
    private static final long PRICE = 1_120_000L;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private final EventCodec adapter = new EventCodec("/vidgen/fal-adapter");
    private final EventCodec dispatcher = new EventCodec("/vidgen/dispatcher-service");
    private final EventCodec storage = new EventCodec("/vidgen/storage-service");

    @Test
    void theConsumerWaitsOutADatabaseOutageAndThenBillsEveryGenerationOnce() throws Exception {
        Instant began = Instant.now();
        String tenant = "outage-" + UUID.randomUUID();
        try (PostgresServer postgres = PostgresServer.startThrowaway();
                KafkaBroker broker = KafkaBroker.startThrowaway(3);
                KafkaCompanion kafka = new KafkaCompanion(broker.bootstrapServers())) {
            String bootstrap = broker.bootstrapServers();
            postgres.ensureDatabase(DATABASE);
            Map<TopicPartition, Long> deadLettersBefore = deadLetterEnds(kafka);
            try (QuarkusApp billing = PackagedBilling.start("billing-outage", postgres, DATABASE, bootstrap,
                    "billing-outage-" + UUID.randomUUID())) {

                // Room for exactly these generations: what the outage settles must count against it.
                send(billing, "PUT", "/v1/budgets/" + tenant, "{\"limitMicros\": " + GENERATIONS * PRICE + "}",
                        PackagedBilling.ADMIN_TOKEN);
                Map<String, String> expected = new TreeMap<>();
                List<GenerationEvent> endings = new ArrayList<>();
                for (int i = 0; i < GENERATIONS; i++) {
                    String id = UUID.randomUUID().toString();
                    reserve(billing, id, tenant);
                    if (i % 2 == 0) {
                        endings.add(new GenerationCompleted(id, tenant, SPEC, 1, "fal-" + id, "http://127.0.0.1/" + id + ".mp4",
                                "video/mp4", 1_000L, 60_000L));
                        // Charged once the video is archived: the tenant has it.
                        endings.add(new VideoArchived(id, tenant, "k/" + id + ".mp4", "file:///videos/" + id + ".mp4",
                                "video/mp4", 1_000, "00", 5_000, 1280, 720, false));
                        expected.put(id, "RESERVE,SETTLE");
                    } else {
                        endings.add(new GenerationCancelled(id, tenant, "cancelled", true));
                        expected.put(id, "RESERVE,RELEASE");
                    }
                }
                assertThat(kindsByGeneration(postgres, tenant)).hasSize(GENERATIONS).containsOnlyKeys(expected.keySet());
                assertThat(eventConsumers(billing)).as("before the outage").isEqualTo("UP");

                Instant down = Instant.now();
                postgres.stop();
                for (GenerationEvent ending : endings) {
                    kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS,
                            ending instanceof GenerationCompleted ? adapter
                                    : ending instanceof VideoArchived ? storage : dispatcher, ending))
                            .awaitCompletion(Duration.ofSeconds(30));
                }
                // The outage itself: readiness is sampled every second until it has lasted OUTAGE.
                AtomicInteger downSamples = new AtomicInteger();
                List<String> notLive = new ArrayList<>();
                Instant upAgainAt = down.plus(OUTAGE);
                await().pollDelay(Duration.ZERO).pollInterval(Duration.ofSeconds(1)).atMost(OUTAGE.plusMinutes(1))
                        .until(() -> {
                            if ("DOWN".equals(eventConsumers(billing))) {
                                downSamples.incrementAndGet();
                            }
                            int live = status(billing, "/q/health/live");
                            if (live != 200) {
                                notLive.add(Instant.now() + ": " + live);
                            }
                            return Instant.now().isAfter(upAgainAt);
                        });
                // Waiting is correct behaviour: nothing should get the pod restarted meanwhile.
                assertThat(notLive).as("liveness while the database was down").isEmpty();
                assertThat(billing.process().isAlive()).as("billing survived the outage").isTrue();
                assertThat(downSamples.get()).as("'%s' DOWN while the database was", ConsumerHealth.NAME)
                        .isPositive();
                postgres.startAgain();
                Instant up = Instant.now();

                await().atMost(Duration.ofMinutes(2)).pollInterval(Duration.ofSeconds(1)).untilAsserted(() ->
                        assertThat(kindsByGeneration(postgres, tenant)).isEqualTo(expected));
                Instant settled = Instant.now();
                await().atMost(Duration.ofMinutes(1)).until(() -> "UP".equals(eventConsumers(billing)));
                await().during(Duration.ofSeconds(10)).atMost(Duration.ofSeconds(20))
                        .until(() -> "UP".equals(eventConsumers(billing)));
                assertThat(kindsByGeneration(postgres, tenant)).isEqualTo(expected);
                assertThat(deadLetterEnds(kafka)).as("nothing dead-lettered").isEqualTo(deadLettersBefore);
                // Settled ones stay committed, released ones are given back.
                assertThat(send(billing, "GET", "/v1/budgets/" + tenant, null, PackagedBilling.ADMIN_TOKEN)
                        .get("committedMicros").asLong())
                        .isEqualTo(GENERATIONS / 2 * PRICE);
                System.out.printf("DatabaseOutageIT: database down %s (%d readiness samples DOWN); all %d generations "
                                + "billed %s after it came back; the test took %s%n", Duration.between(down, up),
                        downSamples.get(), GENERATIONS, Duration.between(up, settled), Duration.between(began, Instant.now()));
            }
            // A failure mid-outage leaves the cluster stopped: PostgresServer.close() copes with that too.
        }
    }

    private static void reserve(QuarkusApp billing, String id, String tenant) throws Exception {
        JsonNode reserved = send(billing, "POST", "/v1/reservations", EventCodec.mapper().writeValueAsString(Map.of(
                "generationId", id, "tenantId", tenant, "spec", SPEC, "acceptedAt", Instant.now().toString())),
                PackagedBilling.SERVICE_TOKEN);
        assertThat(reserved.get("amountMicros").asLong()).isEqualTo(PRICE);
    }

    /** A JSON call, with the bearer token the route needs, that must answer 200. */
    private static JsonNode send(QuarkusApp billing, String method, String path, String json, String token)
            throws Exception {
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(billing.baseUrl() + path))
                .timeout(Duration.ofSeconds(30)).header("Content-Type", "application/json")
                .header("Authorization", "Bearer " + token)
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(method + " " + path + ": " + response.body()).isEqualTo(200);
        return EventCodec.mapper().readTree(response.body());
    }

    /** The status of the consumers' readiness check, or "unanswered" when the service did not answer. */
    private static String eventConsumers(QuarkusApp billing) {
        try {
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(billing.baseUrl() + "/q/health/ready"))
                    .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            for (JsonNode check : EventCodec.mapper().readTree(response.body()).path("checks")) {
                if (ConsumerHealth.NAME.equals(check.path("name").asText())) {
                    return check.path("status").asText();
                }
            }
            return "absent";
        } catch (IOException e) {
            return "unanswered";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "unanswered";
        }
    }

    /** The HTTP status of a GET, or 0 when the service did not answer. */
    private static int status(QuarkusApp billing, String path) {
        try {
            return HTTP.send(HttpRequest.newBuilder(URI.create(billing.baseUrl() + path)).timeout(Duration.ofSeconds(5))
                    .GET().build(), HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return 0;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 0;
        }
    }

    /** Each of the tenant's generations with its ledger kinds in order, e.g. {@code RESERVE,SETTLE}. */
    private static Map<String, String> kindsByGeneration(PostgresServer postgres, String tenant) {
        String out = postgres.psql(DATABASE, "SELECT generation_id, string_agg(kind, ',' ORDER BY id) FROM ledger_entries"
                + " WHERE tenant_id = '" + tenant + "' GROUP BY generation_id");
        Map<String, String> kinds = new TreeMap<>();
        out.lines().filter(l -> !l.isBlank()).map(l -> l.split("\\|")).forEach(f -> kinds.put(f[0], f[1]));
        return kinds;
    }

    /** Where the dead-letter topic ends (created first if no record was ever dead-lettered). */
    private static Map<TopicPartition, Long> deadLetterEnds(KafkaCompanion kafka) throws Exception {
        if (!kafka.topics().list().contains(Topics.DEAD_LETTERS)) {
            kafka.topics().createAndWait(Topics.DEAD_LETTERS, 3);
        }
        return PackagedBilling.endOffsets(kafka, Topics.DEAD_LETTERS);
    }

}
