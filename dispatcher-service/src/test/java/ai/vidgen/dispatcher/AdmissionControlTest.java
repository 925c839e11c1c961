package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Reservation events, deadlines, cancel requests, retries and draft routing, with one generation
 * in flight per tenant (so a test can keep a generation waiting by holding its tenant's slot).
 * Retries back off 400 ms (doubling, equal jitter) here.
 */
@QuarkusTest
@TestProfile(OnePerTenant.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class AdmissionControlTest {

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
    void aReservationIsAnnouncedBeforeTheDispatch() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.ACCEPT);
        GenerationRequested requested = TestEvents.requested(id, tenant, "interactive");

        events.publish(TestEvents.REQUEST_SERVICE, requested);

        await().atMost(PATIENCE).until(() -> !events.of(id, GenerationDispatched.class).isEmpty());
        List<DecodedEvent> all = events.of(id);
        GenerationReserved reserved = events.of(id, GenerationReserved.class).get(0);
        assertEquals(new GenerationReserved(id, tenant, requested.spec(), requested.acceptedAt(), 5 * 84_000L,
                "test-2026-01"), reserved);
        DecodedEvent reservedEnvelope = events.envelopes(id, GenerationReserved.class).get(0);
        assertEquals("/vidgen/dispatcher-service", reservedEnvelope.envelope().source());
        assertTrue(indexOf(all, GenerationReserved.class) < indexOf(all, GenerationDispatched.class));
        finish(id, tenant, 1);
    }

    @Test
    void aGenerationNotStartedByItsDeadlineIsCancelledAndNeverDispatched() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String holder = holdSlot(tenant);
        String id = TestEvents.newId("late");
        Instant deadline = Instant.now().plusSeconds(3);

        events.publish(TestEvents.REQUEST_SERVICE, withDeadline(TestEvents.requested(id, tenant, "interactive"), deadline));
        await().atMost(PATIENCE).until(() -> "QUEUED".equals(state(id).getString("status")));

        GenerationCancelled cancelled = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationCancelled.class), l -> !l.isEmpty()).get(0);
        assertEquals(new GenerationCancelled(id, tenant, "deadline_passed", true), cancelled);
        assertFalse(Instant.now().isBefore(deadline));
        assertEquals("deadline_passed", state(id).getString("outcome"));
        assertEquals(id + ":cancelled", events.envelopes(id, GenerationCancelled.class).get(0).envelope().id());

        // The slot frees, and the expired generation still does not run.
        finish(holder, tenant, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> events.of(id, GenerationDispatched.class).isEmpty());
        // reserved once; the cancellation is what tells billing to release it
        assertEquals(1, billing.calls(id).size());
    }

    @Test
    void aCancelWhileBillingIsStillReservingAnnouncesTheLateGrantOnce() {
        String tenant = TestEvents.newId("tenant");
        billing.closeGate();
        billing.script(tenant, Answer.ACCEPT_WHEN_OPENED);
        String id = TestEvents.newId("slow-billing");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> !billing.calls(id).isEmpty());

        // Cancelled while billing is still deciding; billing granted before it handled the
        // cancellation, which releases the grant there.
        events.publish(TestEvents.REQUEST_SERVICE, new GenerationCancelRequested(id, tenant, "user", Instant.now()));
        await().atMost(PATIENCE).until(() -> !events.of(id, GenerationCancelled.class).isEmpty());
        billing.openGate();

        // The late grant is announced (a ledger rebuilt from the topic needs it), once; nothing runs.
        await().atMost(PATIENCE).until(() -> !events.of(id, GenerationReserved.class).isEmpty());
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> events.of(id).stream()
                .map(e -> e.data().getClass().getSimpleName()).toList().equals(List.of("GenerationRequested",
                        "GenerationCancelRequested", "GenerationCancelled", "GenerationReserved")));
        assertEquals("cancelled", state(id).getString("outcome"));
    }

    @Test
    void aCancelThatReachedBillingFirstEndsTheGenerationWithNothingReserved() {
        String tenant = TestEvents.newId("tenant");
        billing.closeGate();
        billing.script(tenant, Answer.ENDED_WHEN_OPENED);
        String id = TestEvents.newId("overtaken");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> !billing.calls(id).isEmpty());

        events.publish(TestEvents.REQUEST_SERVICE, new GenerationCancelRequested(id, tenant, "user", Instant.now()));
        await().atMost(PATIENCE).until(() -> !events.of(id, GenerationCancelled.class).isEmpty());
        billing.openGate();

        // Billing answered 409 generation_ended: not a rejection, nothing announced, asked once.
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10)).until(() -> events.of(id).stream()
                .map(e -> e.data().getClass().getSimpleName()).toList().equals(List.of("GenerationRequested",
                        "GenerationCancelRequested", "GenerationCancelled")));
        assertEquals("cancelled", state(id).getString("outcome"));
        assertEquals(1, billing.calls(id).size());
    }

    @Test
    void aCancelRequestBeforeDispatchRemovesItFromTheQueue() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String holder = holdSlot(tenant);
        String id = TestEvents.newId("waiting");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> "QUEUED".equals(state(id).getString("status")));

        events.publish(TestEvents.REQUEST_SERVICE, new GenerationCancelRequested(id, tenant, "user", Instant.now()));

        DecodedEvent cancelled = await().atMost(PATIENCE)
                .until(() -> events.envelopes(id, GenerationCancelled.class), l -> !l.isEmpty()).get(0);
        assertEquals(new GenerationCancelled(id, tenant, "cancelled", true), cancelled.data());
        assertEquals("/vidgen/dispatcher-service", cancelled.envelope().source());
        assertEquals("cancelled", state(id).getString("outcome"));

        // A cancel request for the dispatched holder is the fal-adapter's business: nothing here.
        events.publish(TestEvents.REQUEST_SERVICE, new GenerationCancelRequested(holder, tenant, "user", Instant.now()));
        finish(holder, tenant, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> events.of(id, GenerationDispatched.class).isEmpty());
        assertTrue(events.of(holder, GenerationCancelled.class).isEmpty());
        assertEquals("completed", state(holder).getString("outcome"));
        // a repeated request changes nothing and announces nothing again
        events.publish(TestEvents.REQUEST_SERVICE, new GenerationCancelRequested(id, tenant, "user", Instant.now()));
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> events.of(id, GenerationCancelled.class).size() == 1);
    }

    @Test
    void aRetryableFailureIsDispatchedAgainAfterABackoffAndAbandonedWhenAttemptsRunOut() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("flaky");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "batch"));
        await().atMost(PATIENCE).until(() -> dispatchedAttempts(id).equals(List.of(1)));

        long failedAt = System.nanoTime();
        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(id, tenant, 1, "upstream_timeout", "fal timed out", true));
        await().atMost(PATIENCE).until(() -> dispatchedAttempts(id).equals(List.of(1, 2)));
        long waitedMillis = (System.nanoTime() - failedAt) / 1_000_000;
        // initial backoff 400 ms with equal jitter: at least 200 ms
        assertTrue(waitedMillis >= 200, "attempt 2 came after " + waitedMillis + " ms");
        GenerationDispatched second = events.of(id, GenerationDispatched.class).get(1);
        assertEquals("low", second.falPriority());
        assertEquals(TestEvents.requested(id, tenant, "batch").input(), second.input());
        assertEquals(id + ":dispatched:2", events.envelopes(id, GenerationDispatched.class).get(1).envelope().id());

        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(id, tenant, 2, "upstream_timeout", "again", true));
        await().atMost(PATIENCE).until(() -> dispatchedAttempts(id).equals(List.of(1, 2, 3)));
        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(id, tenant, 3, "upstream_5xx", "fal answered 503", true));

        GenerationAbandoned abandoned = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationAbandoned.class), l -> !l.isEmpty()).get(0);
        assertEquals(new GenerationAbandoned(id, tenant, 3, "upstream_5xx", "fal answered 503"), abandoned);
        JsonPath state = state(id);
        assertEquals("DONE", state.getString("status"));
        assertEquals("abandoned", state.getString("outcome"));
        // The reservation was made once and kept across the attempts.
        assertEquals(1, billing.calls(id).size());
        assertEquals(1, events.of(id, GenerationReserved.class).size());
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10))
                .until(() -> dispatchedAttempts(id).equals(List.of(1, 2, 3)));
    }

    @Test
    void aNonRetryableFailureIsFinal() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("refused");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> dispatchedAttempts(id).equals(List.of(1)));

        events.publish(TestEvents.FAL_ADAPTER,
                new GenerationFailed(id, tenant, 1, "content_policy_violation", "refused", false));

        await().atMost(PATIENCE).until(() -> "DONE".equals(state(id).getString("status")));
        assertEquals("failed", state(id).getString("outcome"));
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> dispatchedAttempts(id).equals(List.of(1)));
        assertTrue(events.of(id, GenerationAbandoned.class).isEmpty());
        assertEquals(1, billing.calls(id).size());
    }

    @Test
    void aCancelRequestWhileWaitingForARetryEndsIt() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String holder = holdSlot(tenant);
        finish(holder, tenant, 1);
        String id = TestEvents.newId("retrying");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> dispatchedAttempts(id).equals(List.of(1)));
        // Another generation of the tenant takes the slot, so attempt 2 has to wait in the queue.
        String other = TestEvents.newId("other");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(other, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> "QUEUED".equals(state(other).getString("status")));
        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(id, tenant, 1, "upstream_timeout", "slow", true));
        await().atMost(PATIENCE).until(() -> !events.of(other, GenerationDispatched.class).isEmpty());
        assertEquals("QUEUED", state(id).getString("status"));
        assertEquals("upstream_timeout", state(id).getString("lastErrorType"));

        events.publish(TestEvents.REQUEST_SERVICE, new GenerationCancelRequested(id, tenant, "user", Instant.now()));

        GenerationCancelled cancelled = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationCancelled.class), l -> !l.isEmpty()).get(0);
        assertEquals(new GenerationCancelled(id, tenant, "cancelled", true), cancelled);
        finish(other, tenant, 1);
        await().during(Duration.ofSeconds(2)).atMost(Duration.ofSeconds(10))
                .until(() -> dispatchedAttempts(id).equals(List.of(1)));
    }

    @Test
    void aDeadlineThatPassesWhileWaitingForARetryAbandonsIt() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("retry-late");
        Instant deadline = Instant.now().plusSeconds(5);
        events.publish(TestEvents.REQUEST_SERVICE, withDeadline(TestEvents.requested(id, tenant, "interactive"), deadline));
        await().atMost(PATIENCE).until(() -> dispatchedAttempts(id).equals(List.of(1)));
        // Another generation of the tenant takes the slot while attempt 2 waits.
        String other = TestEvents.newId("other");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(other, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> "QUEUED".equals(state(other).getString("status")));
        events.publish(TestEvents.FAL_ADAPTER, new GenerationFailed(id, tenant, 1, "upstream_timeout", "slow", true));
        await().atMost(PATIENCE).until(() -> !events.of(other, GenerationDispatched.class).isEmpty());

        GenerationAbandoned abandoned = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationAbandoned.class), l -> !l.isEmpty()).get(0);
        assertFalse(Instant.now().isBefore(deadline));
        assertEquals(1, abandoned.attempts());
        assertEquals("upstream_timeout", abandoned.errorType());
        assertEquals("abandoned", state(id).getString("outcome"));
        finish(other, tenant, 1);
        assertEquals(List.of(1), dispatchedAttempts(id));
        assertEquals(1, billing.calls(id).size());
    }

    @Test
    void aGenerationWhoseDeadlinePassedBeforeItArrivedIsNeverReserved() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("too-late");
        events.publish(TestEvents.REQUEST_SERVICE,
                withDeadline(TestEvents.requested(id, tenant, "interactive"), Instant.now().minusSeconds(1)));

        GenerationCancelled cancelled = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationCancelled.class), l -> !l.isEmpty()).get(0);
        assertEquals(new GenerationCancelled(id, tenant, "deadline_passed", true), cancelled);
        assertTrue(billing.calls(id).isEmpty());
        assertTrue(events.of(id, GenerationDispatched.class).isEmpty());
    }

    @Test
    void aDraftRunsOnTheCheapestCompatibleEndpoint() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("draft");
        ObjectNode input = EventCodec.mapper().createObjectNode()
                .put("prompt", "a lighthouse in a storm, waves crashing")
                .put("duration", "10")
                .put("aspect_ratio", "16:9")
                .put("generate_audio", false);
        GenerationSpec requestedSpec = KlingEndpoint.V3_PRO_T2V.specFor(input);
        events.publish(TestEvents.REQUEST_SERVICE, new GenerationRequested(id, tenant, requestedSpec, input,
                "interactive", null, Instant.parse("2026-03-01T10:15:30Z"), true));

        GenerationDispatched dispatched = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationDispatched.class), l -> !l.isEmpty()).get(0);
        GenerationSpec routed = new GenerationSpec(KlingEndpoint.V2_6_PRO_T2V.id(), 10, false, false);
        assertEquals(routed, dispatched.spec());
        assertEquals("a lighthouse in a storm, waves crashing", dispatched.input().path("prompt").asText());
        assertFalse(dispatched.input().path("generate_audio").booleanValue());
        // reserved at the routed price, and announced with the routed spec
        JsonNode call = billing.calls(id).get(0);
        assertEquals(KlingEndpoint.V2_6_PRO_T2V.id(), call.path("spec").path("endpointId").asText());
        assertEquals(routed, events.of(id, GenerationReserved.class).get(0).spec());
        JsonPath state = state(id);
        assertTrue(state.getBoolean("draft"));
        assertEquals(KlingEndpoint.V3_PRO_T2V.id(), state.getString("requestedEndpointId"));
        assertEquals(KlingEndpoint.V2_6_PRO_T2V.id(), state.getString("endpointId"));
        finish(id, tenant, 1);

        // A draft that Kling 2.x cannot render (a storyboard) runs as requested.
        String storyboard = TestEvents.newId("draft-storyboard");
        ObjectNode shots = EventCodec.mapper().createObjectNode().put("prompt", "master scene");
        shots.putArray("multi_prompt").addObject().put("prompt", "shot one").put("duration", "5");
        GenerationSpec shotsSpec = KlingEndpoint.V3_PRO_T2V.specFor(shots);
        events.publish(TestEvents.REQUEST_SERVICE, new GenerationRequested(storyboard, tenant, shotsSpec, shots,
                "interactive", null, Instant.parse("2026-03-01T10:15:30Z"), true));
        GenerationDispatched asRequested = await().atMost(PATIENCE)
                .until(() -> events.of(storyboard, GenerationDispatched.class), l -> !l.isEmpty()).get(0);
        assertEquals(shotsSpec, asRequested.spec());
        assertEquals(shots, asRequested.input());
        finish(storyboard, tenant, 1);
    }

    @Test
    void aTenantWithItsOwnLimitGetsThatManySlots() {
        String tenant = "vip-tenant";
        billing.script(tenant, Answer.ACCEPT);
        List<String> ids = List.of(TestEvents.newId("vip"), TestEvents.newId("vip"), TestEvents.newId("vip"));
        ids.forEach(id -> events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive")));

        await().atMost(PATIENCE).until(() -> ids.stream().filter(id -> "QUEUED".equals(state(id).getString("status")))
                .count() == 1 && ids.stream().filter(id -> !events.of(id, GenerationDispatched.class).isEmpty()).count() == 2);
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(10)).until(() -> ids.stream()
                .filter(id -> !events.of(id, GenerationDispatched.class).isEmpty()).count() == 2);
        String last = ids.stream().filter(id -> "QUEUED".equals(state(id).getString("status"))).findFirst()
                .orElseThrow();
        for (String id : ids) {
            if (!id.equals(last)) {
                finish(id, tenant, 1);
            }
        }
        await().atMost(PATIENCE).until(() -> !events.of(last, GenerationDispatched.class).isEmpty());
        finish(last, tenant, 1);
    }

    /** Dispatches a generation of the tenant that holds its only slot until finished. */
    private String holdSlot(String tenant) {
        String holder = TestEvents.newId("holder");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(holder, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> !events.of(holder, GenerationDispatched.class).isEmpty());
        return holder;
    }

    private void finish(String id, String tenant, int attempt) {
        events.publish(TestEvents.FAL_ADAPTER, new GenerationCompleted(id, tenant, null, attempt, "fal-" + id,
                "https://v3.fal.media/files/" + id + ".mp4", "video/mp4", 1_234_567L, 42_000L));
        await().atMost(PATIENCE).until(() -> "DONE".equals(state(id).getString("status")));
    }

    private List<Integer> dispatchedAttempts(String id) {
        return events.of(id, GenerationDispatched.class).stream().map(GenerationDispatched::attempt).toList();
    }

    private static GenerationRequested withDeadline(GenerationRequested r, Instant deadline) {
        return new GenerationRequested(r.generationId(), r.tenantId(), r.spec(), r.input(), r.priority(), deadline,
                r.acceptedAt(), r.draft());
    }

    private static int indexOf(List<DecodedEvent> events, Class<?> type) {
        for (int i = 0; i < events.size(); i++) {
            if (type.isInstance(events.get(i).data())) {
                return i;
            }
        }
        return -1;
    }

    private static JsonPath state(String id) {
        return asOperator().get("/v1/queue/{id}", id).then().extract().jsonPath();
    }
}
