package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.asAdmin;
import static ai.vidgen.billing.Callers.asService;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.smallrye.reactive.messaging.kafka.companion.KafkaCompanion;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class LedgerTest {

    private static final String V3_STANDARD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    private final EventCodec codec = new EventCodec("/vidgen/test");

    @ConfigProperty(name = "kafka.bootstrap.servers")
    String bootstrap;

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
    void aReservationIsMadeOnceWhateverTheRetries() {
        String generation = UUID.randomUUID().toString();
        for (int i = 0; i < 3; i++) {
            reserve(generation, "acme", 5).then().statusCode(200).body("amountMicros", equalTo(1120000));
        }
        assertThat(ledger(generation)).containsExactly("RESERVE 1120000");
    }

    @Test
    void aDeliveredVideoIsChargedOnceEvenWhenItsEventsAreDuplicatedAndRedelivered() {
        String generation = UUID.randomUUID().toString();
        reserve(generation, "acme", 5).then().statusCode(200);
        var completed = new GenerationCompleted(generation, "acme", new GenerationSpec(V3_STANDARD_T2V, 5, true, false),
                1, "fal-req-1", "http://127.0.0.1/video.mp4", "video/mp4", 1000L, 3000L);
        var archived = new VideoArchived(generation, "acme", "k", "s3://b/k", "video/mp4", 1000, "00", 5_000, 1280, 720,
                true);
        // The same facts several times: a duplicate publish and a redelivery after a lost commit.
        for (int i = 0; i < 3; i++) {
            produce(completed);
        }
        produce(archived);
        produce(archived);

        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "SETTLE 1120000"));
        List<DecodedEvent> announcements = billedEvents(generation);
        // Each delivery re-announces the charge under the same CloudEvent id: consumers see one charge.
        assertThat(announcements).extracting(e -> e.envelope().id()).containsOnly(announcements.get(0).envelope().id());
        GenerationBilled billed = (GenerationBilled) announcements.get(0).data();
        assertThat(billed.amountMicros()).isEqualTo(1_120_000L);
        assertThat(billed.rateMicrosPerSecond()).isEqualTo(224_000L);
        assertThat(billed.billedSeconds()).isEqualTo(5);
        assertThat(billed.audio()).isTrue();
        assertThat(billed.priceBookVersion()).isEqualTo("2026-02");
        // A later failure report for the same generation gives nothing back: the charge stands.
        produce(new GenerationFailed(generation, "acme", 1, "late", "late", false));
        String marker = UUID.randomUUID().toString();
        reserve(marker, "acme", 3).then().statusCode(200);
        produce(new GenerationFailed(marker, "acme", 1, "content_policy_violation", "no", false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(marker)).containsExactly("RESERVE 672000", "RELEASE 672000"));
        assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "SETTLE 1120000");
    }

    @Test
    void aRetryableFailureKeepsTheReservationForTheNextAttempt() {
        String generation = UUID.randomUUID().toString();
        reserve(generation, "acme", 5).then().statusCode(200);
        produce(new GenerationFailed(generation, "acme", 1, "downstream_service_error", "5xx", true));
        produce(new GenerationFailed(generation, "acme", 2, "content_policy_violation", "no", false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "RELEASE 1120000"));
    }

    @Test
    void aGenerationReservedEventRebuildsTheReservationWithoutJudgingTheBudgetAgain() {
        String tenant = "rebuilt-" + UUID.randomUUID();
        // A budget of zero now: the reservation was granted before, and a replay must not refuse it.
        asAdmin().contentType(ContentType.JSON).body("{\"limitMicros\": 0}").put("/v1/budgets/" + tenant)
                .then().statusCode(200);
        String generation = UUID.randomUUID().toString();
        GenerationSpec spec = new GenerationSpec(V3_STANDARD_T2V, 5, true, false);
        // The amount and version the dispatcher recorded from billing's answer, here under a version
        // this database does not know (added through the admin API of the database that granted it).
        produce(new GenerationReserved(generation, tenant, spec, Instant.parse("2026-11-01T00:00:00Z"), 1_150_000L,
                "2026-11-admin"));
        produce(new GenerationReserved(generation, tenant, spec, Instant.parse("2026-11-01T00:00:00Z"), 1_150_000L,
                "2026-11-admin"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1150000"));
        asAdmin().queryParam("generationId", generation).get("/v1/ledger").then().statusCode(200)
                .body("[0].rateMicrosPerSecond", equalTo(230000)).body("[0].priceBookVersion", equalTo("2026-11-admin"));

        // The reservation the REST call wrote stays as it is whatever an event says later.
        String granted = UUID.randomUUID().toString();
        reserve(granted, "acme", 5).then().statusCode(200);
        produce(new GenerationReserved(granted, "acme", spec, Instant.parse("2026-11-01T00:00:00Z"), 5_000_000L, "other"));
        produce(new GenerationCancelled(granted, "acme", "cancelled", true));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(granted)).containsExactly("RESERVE 1120000", "RELEASE 1120000"));
    }

    @Test
    void anAbandonedGenerationIsReleasedAndNeverCharged() {
        String generation = UUID.randomUUID().toString();
        reserve(generation, "acme", 5).then().statusCode(200);
        produce(new GenerationFailed(generation, "acme", 1, "downstream_service_error", "503", true));
        produce(new GenerationFailed(generation, "acme", 2, "downstream_service_error", "503", true));
        String marker = UUID.randomUUID().toString();
        reserve(marker, "acme", 3).then().statusCode(200);
        produce(new GenerationFailed(marker, "acme", 1, "content_policy_violation", "no", false));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(marker)).containsExactly("RESERVE 672000", "RELEASE 672000"));
        // Retryable failures alone keep the reservation for the next attempt.
        assertThat(ledger(generation)).containsExactly("RESERVE 1120000");

        produce(new GenerationAbandoned(generation, "acme", 2, "downstream_service_error", "503"));
        produce(new GenerationAbandoned(generation, "acme", 2, "downstream_service_error", "503"));
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                assertThat(ledger(generation)).containsExactly("RESERVE 1120000", "RELEASE 1120000"));
    }

    @Test
    void anImpossibleGenerationReservedIsDeadLetteredAndWritesNothing() {
        String generation = UUID.randomUUID().toString();
        // 1 micro-dollar more than 5 × a whole rate: no price book can have produced it.
        produce(new GenerationReserved(generation, "acme", new GenerationSpec(V3_STANDARD_T2V, 5, true, false),
                Instant.parse("2026-11-01T00:00:00Z"), 1_120_001L, "2026-02"));
        var task = kafka.consumeStrings().fromTopics("generation-dead-letters");
        try {
            await().atMost(Duration.ofSeconds(30)).until(() ->
                    task.getRecords().stream().anyMatch(r -> generation.equals(r.key())));
        } finally {
            task.stop();
        }
        assertThat(ledger(generation)).isEmpty();
    }

    @Test
    void concurrentReservationsCannotOverspendTheBudget() throws Exception {
        String tenant = "budget-" + UUID.randomUUID();
        // Exactly ten 5 s V3 standard generations with audio fit: 10 × $1.12.
        asAdmin().contentType(ContentType.JSON).body("{\"limitMicros\": 11200000}")
                .put("/v1/budgets/" + tenant).then().statusCode(200);

        ExecutorService pool = Executors.newFixedThreadPool(16);
        try {
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 100; i++) {
                calls.add(() -> reserve(UUID.randomUUID().toString(), tenant, 5).statusCode());
            }
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertThat(statuses.stream().filter(s -> s == 200)).hasSize(10);
            assertThat(statuses.stream().filter(s -> s == 402)).hasSize(90);
        } finally {
            pool.shutdownNow();
        }
        asAdmin().get("/v1/budgets/" + tenant).then().statusCode(200)
                .body("committedMicros", equalTo(11200000))
                .body("remainingMicros", equalTo(0));
        reserve(UUID.randomUUID().toString(), tenant, 3).then().statusCode(402)
                .contentType("application/problem+json").body("reason", equalTo("budget_exceeded"))
                .body("type", equalTo("urn:vidgen:problem:budget-exceeded"))
                // Amounts as platform Money renders them, the currency once, apart.
                .body("detail", containsString("has committed 11.20 of its 11.20 USD budget"));
    }

    private io.restassured.response.Response reserve(String generation, String tenant, int seconds) {
        return asService().contentType(ContentType.JSON)
                .body("""
                        {"generationId":"%s","tenantId":"%s","acceptedAt":"2026-11-01T00:00:00Z",
                         "spec":{"endpointId":"%s","seconds":%d,"audio":true,"voiceControl":false}}"""
                        .formatted(generation, tenant, V3_STANDARD_T2V, seconds))
                .post("/v1/reservations");
    }

    private List<String> ledger(String generation) {
        return asAdmin().queryParam("generationId", generation).get("/v1/ledger")
                .then().statusCode(200).extract().jsonPath()
                .getList("collect { it.kind + ' ' + it.amountMicros }", String.class);
    }

    /** Produces the event exactly as the platform's services publish it, headers included. */
    private void produce(GenerationEvent event) {
        kafka.produceStrings().fromRecords(KafkaEventMessages.record(Topics.GENERATION_EVENTS, codec, event))
                .awaitCompletion();
    }

    /** Every GenerationBilled published for the generation so far, read from the start of the topic. */
    private List<DecodedEvent> billedEvents(String generation) {
        var task = kafka.consumeStrings().fromTopics(Topics.GENERATION_EVENTS);
        try {
            List<DecodedEvent> billed = new ArrayList<>();
            await().atMost(Duration.ofSeconds(30)).until(() -> {
                billed.clear();
                task.getRecords().stream().filter(r -> generation.equals(r.key()))
                        .map(r -> EventCodec.decode(r.value()))
                        .filter(e -> e.data() instanceof GenerationBilled)
                        .forEach(billed::add);
                return !billed.isEmpty();
            });
            return billed;
        } finally {
            task.stop();
        }
    }
}
