package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.messaging.RefusedEvents;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A GenerationDispatched the broker refuses for good (here: bigger than the producer's
 * max.request.size) must not leave its generation holding the only slot and its reservation with
 * fal never hearing of it: it fails, its slot frees, billing gets a final GenerationFailed to
 * release on, and the next generation is dispatched.
 */
@QuarkusTest
@TestProfile(SmallEventsOneSlot.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class RefusedEventsTest {

    private static final Duration PATIENCE = Duration.ofSeconds(30);

    @Inject
    BillingStub billing;

    @Inject
    io.vertx.mutiny.sqlclient.Pool pool;

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
    void aRefusedDispatchFailsTheGenerationFreesItsSlotAndReleasesItsReservation() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String big = TestEvents.newId("big");
        GenerationRequested small = TestEvents.requested(big, tenant, "interactive");
        // The request itself went out (request-service's limit is 1 MiB); the dispatch, which
        // carries the input, does not fit under this producer's 4 KB.
        ObjectNode input = small.input().deepCopy().put("prompt", "a fox ".repeat(1000));
        events.publish(TestEvents.REQUEST_SERVICE, new GenerationRequested(big, tenant, small.spec(), input,
                "interactive", null, small.acceptedAt()));

        DecodedEvent failed = await().atMost(PATIENCE)
                .until(() -> events.envelopes(big, GenerationFailed.class), list -> !list.isEmpty()).get(0);
        GenerationFailed event = (GenerationFailed) failed.data();
        assertEquals("/vidgen/dispatcher-service", failed.envelope().source());
        assertEquals(tenant, event.tenantId());
        assertEquals("publish_rejected", event.errorType());
        assertEquals(1, event.attempt());
        assertFalse(event.retryable(), "a final failure: billing releases the reservation on it");
        assertTrue(event.message().contains("ai.vidgen.generation.dispatched"), event.message());
        assertTrue(events.of(big, GenerationDispatched.class).isEmpty(), "the refused dispatch reached the topic");
        assertEquals(1, events.of(big, GenerationReserved.class).size());
        asOperator().get("/v1/queue/{id}", big).then().statusCode(200)
                .body("status", equalTo("DONE"))
                .body("outcome", equalTo("failed"))
                .body("lastErrorType", equalTo("publish_rejected"));

        // The only slot is free again: the next generation goes out, and its events pass.
        String next = TestEvents.newId("next");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(next, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> events.of(next, GenerationDispatched.class), list -> !list.isEmpty());
        assertEquals(1, events.of(big, GenerationFailed.class).size(), "the refusal was answered once");
    }

    @Test
    void aRefusalWhoseReportWasLostIsFoundByTheSweep() {
        String tenant = TestEvents.newId("tenant");
        billing.script(tenant, Answer.ACCEPT);
        String id = TestEvents.newId("lost");
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> events.of(id, GenerationReserved.class), list -> !list.isEmpty());
        // Its GenerationCancelled was set aside, and the report of it never arrived (say the process
        // stopped right after setting it aside): billing would hold the reservation for ever.
        pool.preparedQuery("INSERT INTO outbox (generation_id, event_id, event_type, cloud_event, refused_at, refusal)"
                        + " VALUES ($1, $2, 'ai.vidgen.generation.cancelled', '{}', now(), 'InvalidRecordException: test')")
                .execute(io.vertx.mutiny.sqlclient.Tuple.of(id, id + ":cancelled")).await().atMost(PATIENCE);

        GenerationFailed failed = await().atMost(Duration.ofSeconds(RefusedEvents.SWEEP_SECONDS + 30))
                .until(() -> events.of(id, GenerationFailed.class), list -> !list.isEmpty()).get(0);
        assertEquals("publish_rejected", failed.errorType());
        assertFalse(failed.retryable());
        asOperator().get("/v1/queue/{id}", id).then().statusCode(200)
                .body("status", equalTo("DONE"))
                .body("lastErrorType", equalTo("publish_rejected"));
    }
}
