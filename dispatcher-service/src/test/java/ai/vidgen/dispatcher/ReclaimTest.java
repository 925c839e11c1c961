package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.stream.IntStream;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Renders whose terminal events never come (fal forgot them, the adapter lost them) with the
 * global limit at 4: their slots are reclaimed after {@code reclaim-after} (5 s here), each
 * generation is ended with one GenerationAbandoned(reclaimed) so billing releases its
 * reservation, and the generations waiting behind them are dispatched.
 */
@QuarkusTest
@TestProfile(ReclaimAfterFiveSeconds.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class ReclaimTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    BillingStub billing;

    TestEvents events;

    @BeforeEach
    void watch() {
        events = new TestEvents();
    }

    @AfterEach
    void stopWatching() {
        events.close();
    }

    @Test
    void lostRendersAreAbandonedOnceAndTheirSlotsGoToTheGenerationsWaiting() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        List<String> lost = ids("lost", 4);
        lost.forEach(id -> events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive")));
        await().atMost(PATIENCE).until(() -> dispatched(lost).size() == 4);

        // Every slot is taken: what comes next waits (until the reclaim, 5 s after the dispatch).
        List<String> waiting = ids("waiting", 3);
        waiting.forEach(id -> events.publish(TestEvents.REQUEST_SERVICE,
                TestEvents.requested(id, tenant, "interactive")));

        // No terminal event ever comes for the four: each is reclaimed and abandoned, once.
        await().atMost(PATIENCE).until(() -> lost.stream()
                .allMatch(id -> !events.of(id, GenerationAbandoned.class).isEmpty()));
        for (String id : lost) {
            GenerationAbandoned abandoned = events.of(id, GenerationAbandoned.class).get(0);
            assertEquals("reclaimed", abandoned.errorType());
            assertEquals(tenant, abandoned.tenantId());
            assertEquals(1, abandoned.attempts());
            assertEquals("reclaimed", asOperator().get("/v1/queue/{id}", id).jsonPath().getString("outcome"));
        }
        // ... and the generations waiting behind them get the slots, not before.
        await().atMost(PATIENCE).until(() -> dispatched(waiting).size() == 3);
        // The lost ones may be reclaimed in different passes: the n-th waiting one may start only
        // once n of them are abandoned (never more than 4 in flight).
        long[] abandonedAt = lost.stream().mapToLong(id -> publishedAt(id, GenerationAbandoned.class)).sorted()
                .toArray();
        long[] dispatchedAt = waiting.stream().mapToLong(id -> publishedAt(id, GenerationDispatched.class)).sorted()
                .toArray();
        for (int i = 0; i < dispatchedAt.length; i++) {
            assertTrue(dispatchedAt[i] >= abandonedAt[i], "waiting generation " + (i + 1)
                    + " was dispatched before " + (i + 1) + " lost renders gave their slots back");
        }
        waiting.forEach(id -> events.publish(TestEvents.FAL_ADAPTER, completed(id, tenant)));

        // A retryable failure of a reclaimed attempt that arrives after all is ignored: no retry,
        // no second Abandoned.
        String late = lost.get(0);
        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(late, tenant, 1, "fal_lost",
                "fal no longer knows the request", true));
        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10)).until(() ->
                events.of(late, GenerationAbandoned.class).size() == 1
                        && events.of(late, GenerationDispatched.class).size() == 1);
        for (String id : lost) {
            assertEquals(1, events.of(id, GenerationAbandoned.class).size(), id);
        }
        assertEquals("reclaimed", asOperator().get("/v1/queue/{id}", late).jsonPath().getString("outcome"));
    }

    private static List<String> ids(String prefix, int n) {
        return IntStream.range(0, n).mapToObj(i -> TestEvents.newId(prefix + i)).toList();
    }

    private static GenerationCompleted completed(String id, String tenant) {
        return new GenerationCompleted(id, tenant, null, 1, "fal-" + id, "https://v3.fal.media/files/" + id + ".mp4",
                "video/mp4", 1_234_567L, 42_000L);
    }

    private List<String> dispatched(List<String> ids) {
        return ids.stream().filter(id -> !events.of(id, GenerationDispatched.class).isEmpty()).toList();
    }

    /** When the broker took the generation's first event of this type (the outbox relays in commit order). */
    private long publishedAt(String generationId, Class<? extends GenerationEvent> type) {
        return events.records().stream()
                .filter(r -> generationId.equals(r.key()) && type.isInstance(EventCodec.decode(r.value()).data()))
                .mapToLong(ConsumerRecord::timestamp).min().orElseThrow();
    }
}
