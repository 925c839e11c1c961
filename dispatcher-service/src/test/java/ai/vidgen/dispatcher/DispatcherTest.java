package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.JsonNode;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class DispatcherTest {

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
    void requestedGenerationIsReservedAndDispatched() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.ACCEPT);
        GenerationRequested requested = TestEvents.requested(id, tenant, "interactive");

        events.publish(TestEvents.REQUEST_SERVICE, requested);

        DecodedEvent decoded = await().atMost(PATIENCE)
                .until(() -> events.envelopes(id, GenerationDispatched.class), list -> !list.isEmpty()).get(0);
        GenerationDispatched dispatched = (GenerationDispatched) decoded.data();
        assertEquals(tenant, dispatched.tenantId());
        assertEquals(requested.spec(), dispatched.spec());
        assertEquals(requested.input(), dispatched.input());
        assertEquals(1, dispatched.attempt());
        assertEquals("normal", dispatched.falPriority());
        assertEquals(id + ":dispatched:1", decoded.envelope().id());
        assertEquals("/vidgen/dispatcher-service", decoded.envelope().source());

        List<JsonNode> calls = billing.calls(id);
        assertEquals(1, calls.size());
        JsonNode call = calls.get(0);
        assertEquals(id, call.path("generationId").asText());
        assertEquals(tenant, call.path("tenantId").asText());
        assertEquals(TestEvents.ENDPOINT, call.path("spec").path("endpointId").asText());
        assertEquals(5, call.path("spec").path("seconds").asInt());
        assertTrue(call.path("spec").has("audio") && call.path("spec").has("voiceControl"));
        assertEquals("2026-03-01T10:15:30Z", call.path("acceptedAt").asText());

        asOperator().get("/v1/queue/{id}", id).then().statusCode(200)
                .body("status", equalTo("DISPATCHED"))
                .body("reservedMicros", equalTo(5 * 84_000))
                .body("priceBookVersion", equalTo("test-2026-01"));
    }

    @Test
    void theGenerationsTraceContinuesThroughTheQueue() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.ACCEPT);
        String traceId = "4bf92f3577b34da6a3ce929d0e0e4736";
        CloudEvent requested = TestEvents.REQUEST_SERVICE.envelope(TestEvents.requested(id, tenant, "interactive"))
                .withTrace("00-" + traceId + "-00f067aa0ba902b7-01", null);

        events.publishRaw(id, EventCodec.write(requested));

        DecodedEvent dispatched = await().atMost(PATIENCE)
                .until(() -> events.envelopes(id, GenerationDispatched.class), list -> !list.isEmpty()).get(0);
        DecodedEvent reserved = events.envelopes(id, GenerationReserved.class).get(0);
        // Stored with the row, the trace outlives the consumer: the reservation and the dispatch,
        // made later by the workers, continue it, and so does the call to billing.
        assertTrue(reserved.envelope().traceparent().contains(traceId), reserved.envelope().traceparent());
        assertTrue(dispatched.envelope().traceparent().contains(traceId), dispatched.envelope().traceparent());
        assertEquals(1, billing.traceparents(id).size());
        assertTrue(billing.traceparents(id).get(0).contains(traceId), billing.traceparents(id).get(0));
    }

    @Test
    void dispatchedEventIsAStructuredCloudEventKeyedByGeneration() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.ACCEPT);

        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "batch"));

        GenerationDispatched dispatched = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationDispatched.class), list -> !list.isEmpty()).get(0);
        assertEquals("low", dispatched.falPriority());
        ConsumerRecord<String, String> record = events.rawOf(id, "ai.vidgen.generation.dispatched");
        assertNotNull(record.headers().lastHeader("content-type"));
        assertEquals(CloudEvent.STRUCTURED_CONTENT_TYPE,
                new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
    }

    @Test
    void budgetRefusalRejectsWithoutDispatch() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.BUDGET_EXCEEDED);

        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));

        GenerationRejected rejected = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationRejected.class), list -> !list.isEmpty()).get(0);
        assertEquals("budget_exceeded", rejected.reason());
        assertEquals(tenant, rejected.tenantId());
        assertTrue(rejected.message().contains("$0.42"), rejected.message());
        // REJECTED is final: no pass ever releases it.
        asOperator().get("/v1/queue/{id}", id).then().statusCode(200)
                .body("status", equalTo("REJECTED"))
                .body("rejectReason", equalTo("budget_exceeded"));
        assertTrue(events.of(id, GenerationDispatched.class).isEmpty());
        assertEquals(1, billing.calls(id).size());
    }

    @Test
    void missingPriceRejectsWithNoPrice() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.NO_PRICE);

        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));

        GenerationRejected rejected = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationRejected.class), list -> !list.isEmpty()).get(0);
        assertEquals("no_price", rejected.reason());
        asOperator().get("/v1/queue/{id}", id).then().statusCode(200).body("status", equalTo("REJECTED"));
        assertTrue(events.of(id, GenerationDispatched.class).isEmpty());
    }

    @Test
    void redeliveredRequestIsDispatchedOnce() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.ACCEPT);
        GenerationRequested requested = TestEvents.requested(id, tenant, "interactive");

        events.publish(TestEvents.REQUEST_SERVICE, requested);
        events.publish(TestEvents.REQUEST_SERVICE, requested);
        await().atMost(PATIENCE).until(() -> events.of(id, GenerationDispatched.class).size() == 1);
        // and once more after it was dispatched
        events.publish(TestEvents.REQUEST_SERVICE, requested);

        await().during(Duration.ofSeconds(3)).atMost(Duration.ofSeconds(10))
                .until(() -> events.of(id, GenerationDispatched.class).size() == 1);
        assertEquals(1, billing.calls(id).size());
        asOperator().get("/v1/queue/{id}", id).then().statusCode(200).body("attempt", equalTo(1));
    }

    @Test
    void billingFailuresAreRetriedUntilTheReservationSucceeds() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.FAIL, Answer.FAIL, Answer.ACCEPT);

        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));

        GenerationDispatched dispatched = await().atMost(PATIENCE)
                .until(() -> events.of(id, GenerationDispatched.class), list -> !list.isEmpty()).get(0);
        assertEquals(1, dispatched.attempt());
        assertEquals(3, billing.calls(id).size());
        assertTrue(events.of(id, GenerationRejected.class).isEmpty());
        asOperator().get("/v1/queue/{id}", id).then().statusCode(200).body("reserveAttempts", equalTo(2));
    }

    @Test
    void undecodableRecordIsDeadLettered() {
        String key = TestEvents.newId("garbage");

        events.publishRaw(key, "{\"this is\": \"not a CloudEvent\"");

        ConsumerRecord<String, String> dead = await().atMost(PATIENCE)
                .until(() -> events.deadLettersOf(key), list -> !list.isEmpty()).get(0);
        assertNotNull(dead.headers().lastHeader("dead-letter-reason"));
    }

    @Test
    void requestBreakingTheContractIsDeadLettered() {
        String id = TestEvents.newId("gen");
        GenerationRequested valid = TestEvents.requested(id, "t", "interactive");
        GenerationRequested withoutInput = new GenerationRequested(id, "t", valid.spec(), null, "interactive", null,
                valid.acceptedAt());

        events.publish(TestEvents.REQUEST_SERVICE, withoutInput);

        ConsumerRecord<String, String> dead = await().atMost(PATIENCE)
                .until(() -> events.deadLettersOf(id), list -> !list.isEmpty()).get(0);
        assertTrue(new String(dead.headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8)
                .contains("input is missing"));
        asOperator().get("/v1/queue/{id}", id).then().statusCode(404)
                .contentType("application/problem+json").body("status", equalTo(404));
    }

    @Test
    void metricsAndHealthAreExported() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        billing.script(tenant, Answer.BUDGET_EXCEEDED);
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> !events.of(id, GenerationRejected.class).isEmpty());

        String metrics = given().get("/q/metrics").then().statusCode(200).extract().asString();
        assertTrue(metrics.contains("dispatcher_queue_depth{priority=\"interactive\"}"), metrics);
        assertTrue(metrics.contains("dispatcher_queue_depth{priority=\"batch\"}"));
        assertTrue(metrics.contains("dispatcher_in_flight "));
        assertTrue(metrics.contains("dispatcher_reservations_pending "));
        assertTrue(metrics.contains("vidgen_outbox_backlog "), "the platform relay's backlog");
        assertTrue(metrics.contains("dispatcher_rejections_total{reason=\"budget_exceeded\"}"));
        given().get("/q/health").then().statusCode(200).body("status", equalTo("UP"));
    }

    @Test
    void queueViewValidatesItsParameters() {
        asOperator().queryParam("limit", 0).get("/v1/queue").then().statusCode(400)
                .contentType("application/problem+json")
                .body("errors.pointer", hasItem("/limit"));
        asOperator().get("/v1/queue").then().statusCode(200)
                .body("maxInFlight", equalTo(1000))
                .body("counts.keySet()", hasItem("QUEUED"));
    }
}
