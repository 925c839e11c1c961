package ai.vidgen.dispatcher.messaging;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.MaxInFlightTwo;
import ai.vidgen.dispatcher.persistence.PendingReservation;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * Several replicas at once, simulated by running passes concurrently on separate connections of
 * one database (the application's own periodic passes join in, as a further replica would).
 * Shares the application of CapacityTest (same profile and resources): ends with nothing in flight.
 */
@QuarkusTest
@TestProfile(MaxInFlightTwo.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class ConcurrentPassesTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);
    private static final int REPLICAS = 6;

    @Inject
    DispatchWorker dispatch;

    @Inject
    QueueRepository queue;

    @Inject
    Pool pool;

    @Test
    void concurrentDispatchPassesKeepTheGlobalLimitAndReleaseEachGenerationOnce() {
        String tenant = TestEvents.newId("tenant");
        List<String> ids = IntStream.range(0, 10).mapToObj(i -> TestEvents.newId("gen" + i)).toList();
        ids.forEach(id -> insert(id, tenant, "QUEUED"));
        Set<String> finished = new HashSet<>();

        while (finished.size() < ids.size()) {
            List<Uni<Boolean>> passes = IntStream.range(0, REPLICAS).mapToObj(i -> dispatch.pass()).toList();
            Uni.join().all(passes).andFailFast().await().atMost(PATIENCE);

            List<String> inFlight = dispatchedNow();
            assertTrue(inFlight.size() <= 2, "in flight: " + inFlight);
            for (String id : inFlight) {
                assertTrue(ids.contains(id), "foreign generation in flight: " + id);
                assertTrue(queue.finishAttempt(id, 1, "completed").await().atMost(PATIENCE), id);
                finished.add(id);
            }
        }

        try (TestEvents events = new TestEvents()) {
            for (String id : ids) {
                await().atMost(PATIENCE).until(() -> events.of(id, GenerationDispatched.class).size() == 1);
                assertEquals(1, events.of(id, GenerationDispatched.class).get(0).attempt());
            }
        }
        for (String id : ids) {
            Row row = pool.preparedQuery("SELECT status, attempt FROM generation_queue WHERE generation_id = $1")
                    .execute(Tuple.of(id)).await().atMost(PATIENCE).iterator().next();
            assertEquals("DONE", row.getString("status"));
            assertEquals(1, row.getInteger("attempt"), id + " was released more than once");
        }
    }

    @Test
    void concurrentClaimsNeverTakeTheSameReservation() {
        // A tenant the billing stub does not know: the application rejects these rows later.
        String tenant = TestEvents.newId("nobody");
        List<String> ids = IntStream.range(0, 20).mapToObj(i -> TestEvents.newId("res" + i)).toList();
        ids.forEach(id -> insert(id, tenant, "RESERVING"));

        List<Uni<List<PendingReservation>>> claims = IntStream.range(0, REPLICAS)
                .mapToObj(i -> queue.claimDueReservations(3, Duration.ofSeconds(30))).toList();
        List<List<PendingReservation>> results = Uni.join().all(claims).andFailFast().await().atMost(PATIENCE);

        List<String> claimed = new ArrayList<>();
        results.forEach(r -> r.forEach(p -> claimed.add(p.generationId())));
        assertEquals(new HashSet<>(claimed).size(), claimed.size(), "claimed twice: " + claimed);
        assertTrue(claimed.size() > 0);
    }

    @Test
    void aSlotWhoseTerminalEventNeverCameIsReclaimed() {
        String tenant = TestEvents.newId("tenant");
        String lost = TestEvents.newId("lost");
        String recent = TestEvents.newId("recent");
        insert(lost, tenant, "DISPATCHED");
        insert(recent, tenant, "DISPATCHED");
        // dispatcher.reclaim-after is 2h: one was dispatched 3 hours ago, one a minute ago
        pool.preparedQuery("UPDATE generation_queue SET attempt = 1, dispatched_at = now() - interval '3 hours'"
                + " WHERE generation_id = $1").execute(Tuple.of(lost)).await().atMost(PATIENCE);
        pool.preparedQuery("UPDATE generation_queue SET attempt = 1, dispatched_at = now() - interval '1 minute'"
                + " WHERE generation_id = $1").execute(Tuple.of(recent)).await().atMost(PATIENCE);

        dispatch.pass().await().atMost(PATIENCE);

        Row row = pool.preparedQuery("SELECT status, outcome FROM generation_queue WHERE generation_id = $1")
                .execute(Tuple.of(lost)).await().atMost(PATIENCE).iterator().next();
        assertEquals("DONE", row.getString("status"));
        assertEquals("reclaimed", row.getString("outcome"));
        assertEquals(List.of(recent), dispatchedNow());
        // a late terminal event changes nothing
        assertEquals(false, queue.finishAttempt(lost, 1, "completed").await().atMost(PATIENCE));
        assertTrue(queue.finishAttempt(recent, 1, "completed").await().atMost(PATIENCE));
    }

    private void insert(String id, String tenant, String status) {
        pool.preparedQuery("""
                INSERT INTO generation_queue (generation_id, tenant_id, endpoint_id, seconds, audio, voice_control,
                    input, priority, fal_priority, status)
                VALUES ($1, $2, $3, 5, false, false, '{"prompt": "a lighthouse in a storm"}'::jsonb,
                    'interactive', 'normal', $4)""")
                .execute(Tuple.of(id, tenant, TestEvents.ENDPOINT, status))
                .await().atMost(PATIENCE);
    }

    private List<String> dispatchedNow() {
        List<String> ids = new ArrayList<>();
        pool.query("SELECT generation_id FROM generation_queue WHERE status = 'DISPATCHED'").execute()
                .await().atMost(PATIENCE).forEach(r -> ids.add(r.getString(0)));
        return ids;
    }
}
