package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The global in-flight limit (2 here) and the release order. This class has a database of its
 * own; each test ends with nothing in flight so the next starts with both slots free.
 */
@QuarkusTest
@TestProfile(MaxInFlightTwo.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class CapacityTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    BillingStub billing;

    TestEvents events;

    @BeforeEach
    void watch() {
        events = new TestEvents();
        await().atMost(PATIENCE).until(() -> view(null).getLong("inFlight") == 0);
    }

    @AfterEach
    void stopWatching() {
        events.close();
    }

    @Test
    void onlyMaxInFlightAreDispatchedUntilASlotFrees() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        List<String> ids = IntStream.range(0, 5).mapToObj(i -> TestEvents.newId("gen" + i)).toList();
        Set<String> finished = new HashSet<>();

        ids.forEach(id -> events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive")));

        // All five reserved: two released, three waiting, and it stays that way.
        await().atMost(PATIENCE).until(() -> dispatched(ids).size() == 2 && queuedOf(tenant).size() == 3);
        await().during(Duration.ofMillis(2500)).atMost(Duration.ofSeconds(10))
                .until(() -> dispatched(ids).size() == 2 && view(null).getLong("inFlight") == 2);

        String first = inFlight(ids, finished).get(0);
        events.publish(TestEvents.FAL_ADAPTER, completed(first, tenant));
        finished.add(first);

        // The freed slot goes to the next one, and only that one.
        await().atMost(PATIENCE).until(() -> dispatched(ids).size() == 3);
        await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(10))
                .until(() -> dispatched(ids).size() == 3 && queuedOf(tenant).size() == 2);
        asOperator().get("/v1/queue/{id}", first).then().statusCode(200)
                .body("status", equalTo("DONE")).body("outcome", equalTo("completed"));

        // Every terminal event frees a slot: failed, cancelled, rejected downstream.
        String failed = inFlight(ids, finished).get(0);
        events.publish(TestEvents.FAL_ADAPTER,
                new GenerationFailed(failed, tenant, 1, "content_policy_violation", "refused by fal", false));
        finished.add(failed);
        await().atMost(PATIENCE).until(() -> dispatched(ids).size() == 4);

        String cancelled = inFlight(ids, finished).get(0);
        events.publish(TestEvents.FAL_ADAPTER, new GenerationCancelled(cancelled, tenant, "user", false));
        finished.add(cancelled);
        await().atMost(PATIENCE).until(() -> dispatched(ids).size() == 5);

        List<String> last = inFlight(ids, finished);
        assertEquals(2, last.size());
        events.publish(TestEvents.FAL_ADAPTER, completed(last.get(0), tenant));
        events.publish(TestEvents.FAL_ADAPTER,
                new GenerationRejected(last.get(1), tenant, "invalid_input", "fal refused the input"));
        await().atMost(PATIENCE).until(() -> view(null).getLong("inFlight") == 0);
        for (String id : ids) {
            assertEquals(1, events.of(id, GenerationDispatched.class).size(), id);
            assertEquals("DONE", asOperator().get("/v1/queue/{id}", id).jsonPath().getString("status"), id);
        }
    }

    @Test
    void interactiveIsReleasedBeforeOlderBatch() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String filler1 = TestEvents.newId("filler");
        String filler2 = TestEvents.newId("filler");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(filler1, tenant, "interactive"));
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(filler2, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> dispatched(List.of(filler1, filler2)).size() == 2);

        String batch1 = TestEvents.newId("batch");
        String batch2 = TestEvents.newId("batch");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(batch1, tenant, "batch"));
        await().atMost(PATIENCE).until(() -> queuedOf(tenant).equals(List.of(batch1)));
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(batch2, tenant, "batch"));
        await().atMost(PATIENCE).until(() -> queuedOf(tenant).equals(List.of(batch1, batch2)));
        String interactive = TestEvents.newId("interactive");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(interactive, tenant, "interactive"));
        // The newest, interactive, is first in line.
        await().atMost(PATIENCE).until(() -> queuedOf(tenant).equals(List.of(interactive, batch1, batch2)));
        JsonPath queue = view(tenant);
        assertEquals(1, queue.getInt("queued[0].position"));
        assertEquals(1L, queue.getLong("queuedByPriority.interactive"));
        assertEquals(2L, queue.getLong("queuedByPriority.batch"));

        events.publish(TestEvents.FAL_ADAPTER, completed(filler1, tenant));
        GenerationDispatched next = await().atMost(PATIENCE)
                .until(() -> events.of(interactive, GenerationDispatched.class), l -> !l.isEmpty()).get(0);
        assertEquals("normal", next.falPriority());
        assertTrue(dispatched(List.of(batch1, batch2)).isEmpty());

        events.publish(TestEvents.FAL_ADAPTER, completed(filler2, tenant));
        GenerationDispatched oldestBatch = await().atMost(PATIENCE)
                .until(() -> events.of(batch1, GenerationDispatched.class), l -> !l.isEmpty()).get(0);
        assertEquals("low", oldestBatch.falPriority());
        // Both slots are taken again, so the younger batch generation must still wait.
        assertEquals(List.of(batch2), queuedOf(tenant));
        assertTrue(events.of(batch2, GenerationDispatched.class).isEmpty());

        events.publish(TestEvents.FAL_ADAPTER, completed(interactive, tenant));
        events.publish(TestEvents.FAL_ADAPTER, completed(batch1, tenant));
        await().atMost(PATIENCE).until(() -> !events.of(batch2, GenerationDispatched.class).isEmpty());
        events.publish(TestEvents.FAL_ADAPTER, completed(batch2, tenant));
        await().atMost(PATIENCE).until(() -> view(null).getLong("inFlight") == 0);
    }

    @Test
    void anEventOfAnotherAttemptDoesNotEndTheDispatchedOne() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("gen");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> dispatched(List.of(id)).size() == 1);

        // An event about another attempt than the one in flight leaves the generation DISPATCHED.
        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(id, tenant, 7, "connection_error", "old", true));
        events.publish(TestEvents.FAL_ADAPTER, completed(id, tenant));
        await().atMost(PATIENCE).until(() -> "DONE".equals(asOperator().get("/v1/queue/{id}", id).jsonPath().getString("status")));
        assertEquals("completed", asOperator().get("/v1/queue/{id}", id).jsonPath().getString("outcome"));
    }

    private static GenerationCompleted completed(String id, String tenant) {
        return new GenerationCompleted(id, tenant, null, 1, "fal-" + id, "https://v3.fal.media/files/" + id + ".mp4",
                "video/mp4", 1_234_567L, 42_000L);
    }

    private List<String> dispatched(List<String> ids) {
        return ids.stream().filter(id -> !events.of(id, GenerationDispatched.class).isEmpty()).toList();
    }

    private List<String> inFlight(List<String> ids, Set<String> finished) {
        return dispatched(ids).stream().filter(id -> !finished.contains(id)).toList();
    }

    private static List<String> queuedOf(String tenant) {
        return view(tenant).getList("queued.generationId", String.class);
    }

    private static JsonPath view(String tenant) {
        var request = asOperator();
        if (tenant != null) {
            request = request.queryParam("tenantId", tenant);
        }
        return request.get("/v1/queue").then().statusCode(200).extract().jsonPath();
    }
}
