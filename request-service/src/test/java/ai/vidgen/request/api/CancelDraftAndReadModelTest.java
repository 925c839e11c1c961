package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.time.Instant;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Cancel requests, draft routing as the user sees it, and the read model of the new lifecycle events. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class CancelDraftAndReadModelTest {

    static final String V3_STD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String V25 = "fal-ai/kling-video/v2.5-turbo/pro/text-to-video";
    static final String CANCEL_REQUESTED = "ai.vidgen.generation.cancel-requested";
    private static EventLog kafka;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void cancelPublishesACancelRequestAndTheOutcomeDecidesTheStatus() {
        String tenant = "c-" + UUID.randomUUID();
        String id = submit(tenant, "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"cancel me\"}}");

        // Another tenant's id answers like a missing one, and publishes nothing.
        given().header("X-Tenant-Id", "other-" + tenant).post("/v1/generations/{id}/cancel", id).then().statusCode(404)
                .contentType("application/problem+json");
        given().header("X-Tenant-Id", tenant).post("/v1/generations/{id}/cancel", UUID.randomUUID()).then()
                .statusCode(404);

        given().header("X-Tenant-Id", tenant).post("/v1/generations/{id}/cancel", id).then().statusCode(202)
                .body("id", equalTo(id)).body("status", equalTo("queued")).body("cancel_requested", equalTo(true));
        DecodedEvent event = kafka.decode(kafka.await(id, CANCEL_REQUESTED));
        GenerationCancelRequested requested = assertInstanceOf(GenerationCancelRequested.class, event.data());
        assertEquals(tenant, requested.tenantId());
        assertEquals("/vidgen/request-service", event.envelope().source());
        // Asking again while it is pending is accepted and publishes nothing more.
        given().header("X-Tenant-Id", tenant).post("/v1/generations/{id}/cancel", id).then().statusCode(202);

        // A request, not an outcome: the status stays until the dispatcher or fal answers.
        get(tenant, id).body("status", equalTo("queued")).body("cancel_requested_at", notNullValue())
                .body("timeline.stage", hasItem("cancel_requested"));

        kafka.publish(new GenerationCancelled(id, tenant, "cancelled", true));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("cancelled"))
                .body("error.type", equalTo("aborted")));
        given().header("X-Tenant-Id", tenant).post("/v1/generations/{id}/cancel", id).then().statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:not-cancellable"));
        // The OpenAI-style view: cancelled is failed there, with the reason as the code.
        given().header("X-Tenant-Id", tenant).get("/v1/videos/{id}", id).then().statusCode(200)
                .body("status", equalTo("failed")).body("error.code", equalTo("aborted"));
        assertEquals(1, kafka.records(id).stream()
                .filter(r -> kafka.decode(r).envelope().type().equals(CANCEL_REQUESTED)).count());
    }

    @Test
    void draftIsPublishedAndTheEndpointThatRanIsShown() {
        String tenant = "d-" + UUID.randomUUID();
        String id = submit(tenant, "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"draft\":true,"
                + "\"input\":{\"prompt\":\"a quick draft\",\"duration\":\"5\"}}");
        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        assertTrue(requested.draft());
        get(tenant, id).body("draft", equalTo(true)).body("endpoint_id", equalTo(V3_STD_T2V))
                .body("ran_on", nullValue());

        // The dispatcher routed it to the cheapest compatible endpoint.
        GenerationSpec routed = new GenerationSpec(V25, 5, false, false);
        kafka.publish(
                new GenerationReserved(id, tenant, routed, requested.acceptedAt(), 350_000, "2026-02"),
                new GenerationDispatched(id, tenant, routed, requested.input(), 1, "normal"));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id)
                .body("endpoint_id", equalTo(V3_STD_T2V))
                .body("ran_on", equalTo(V25))
                .body("reserved.amount_micros", equalTo(350_000))
                .body("reserved.amount", equalTo("0.35"))
                .body("timeline.stage", hasItem("reserved"))
                .body("timeline.stage", hasItem("dispatched")));

        // Without draft it stays false, and ran_on is the requested endpoint once dispatched.
        String plain = submit(tenant, "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"exact\"}}");
        GenerationRequested exact = (GenerationRequested) kafka.decode(
                kafka.await(plain, "ai.vidgen.generation.requested")).data();
        assertEquals(false, exact.draft());
        kafka.publish(new GenerationDispatched(plain, tenant, exact.spec(), exact.input(), 1, "normal"));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, plain).body("draft", equalTo(false))
                .body("ran_on", equalTo(V3_STD_T2V)));
    }

    @Test
    void retryableFailuresStayInProgressAndAbandonmentFails() {
        String tenant = "r-" + UUID.randomUUID();
        String id = submit(tenant, "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"flaky\"}}");
        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        kafka.publish(
                new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-1"),
                new GenerationFailed(id, tenant, 1, "server_error", "fal 503", true));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("in_progress"))
                .body("error.retryable", equalTo(true)));
        given().header("X-Tenant-Id", tenant).get("/v1/videos/{id}", id).then()
                .body("status", equalTo("in_progress"));

        kafka.publish(
                new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 2, "normal"),
                new GenerationFailed(id, tenant, 2, "connection_error", "reset", true),
                new GenerationAbandoned(id, tenant, 2, "connection_error", "reset"));
        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id).body("status", equalTo("failed"))
                .body("error.type", equalTo("connection_error"))
                .body("error.retryable", equalTo(false))
                .body("timeline.stage", hasItem("abandoned")));
        given().header("X-Tenant-Id", tenant).get("/v1/videos/{id}", id).then()
                .body("status", equalTo("failed")).body("error.code", equalTo("connection_error"));
        // Terminal now: a late cancel request changes nothing.
        kafka.awaitConsumed(kafka.publish(new GenerationCancelRequested(id, tenant, "late", Instant.now())).get(0));
        get(tenant, id).body("status", equalTo("failed")).body("timeline.stage", not(hasItem("cancel_requested")));
    }

    static String submit(String tenant, String body) {
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body)
                .post("/v1/generations").then().statusCode(202).extract().path("id");
    }

    static ValidatableResponse get(String tenant, String id) {
        return given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200);
    }
}
