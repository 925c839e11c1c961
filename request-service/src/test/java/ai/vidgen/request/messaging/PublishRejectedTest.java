package ai.vidgen.request.messaging;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 202 promises a terminal state. When the broker refuses a generation's event for good (here:
 * bigger than the producer's max.request.size), the generation fails with publish_rejected, for
 * GET and for its callback, and the requests behind it are published as usual.
 */
@QuarkusTest
@TestProfile(SmallEvents.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class PublishRejectedTest {

    static final String T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String REQUESTED = "ai.vidgen.generation.requested";

    private static EventLog kafka;

    @Inject
    Pool pool;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void aRequestWhoseEventIsRefusedFailsAndTheNextOneIsPublished() {
        String tenant = "refused-" + UUID.randomUUID();
        // Valid (2400 characters), but 4.8 KB in UTF-8: over this producer's 4 KB.
        String big = accept(tenant, "ü".repeat(2400), "http://127.0.0.1:9/hook");

        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, big)
                .body("status", equalTo("failed"))
                .body("error.type", equalTo("publish_rejected"))
                .body("error.retryable", equalTo(false))
                .body("error.message", containsString("nothing was reserved or charged"))
                .body("error.message", containsString("RecordTooLargeException"))
                .body("timeline.stage", hasItem("failed")));
        // The callback says so, like for any other failure.
        assertEquals(1L, scalar("SELECT count(*) FROM webhook_deliveries WHERE generation_id = $1"
                + " AND event_type = 'generation.failed' AND payload LIKE '%publish_rejected%'", big));
        given().header("X-Tenant-Id", tenant).get("/v1/videos/{id}", big).then().statusCode(200)
                .body("status", equalTo("failed")).body("error.code", equalTo("publish_rejected"));

        // The row was set aside, not retried for ever, and nothing blocks the next request.
        String next = accept(tenant, "a fox in the snow", null);
        kafka.await(next, REQUESTED);
        assertTrue(kafka.records(big).isEmpty(), "the refused event reached the topic");
        get(tenant, next).body("status", equalTo("queued"));
        assertEquals(1L, scalar("SELECT count(*) FROM outbox WHERE generation_id = $1 AND refused_at IS NOT NULL", big));
    }

    @Test
    void aRefusalWhoseReportWasLostIsFoundByTheSweep() {
        String tenant = "swept-" + UUID.randomUUID();
        String id = accept(tenant, "a fox in the snow", null);
        kafka.await(id, REQUESTED);
        // A refused row whose report never arrived (say the process stopped right after setting it aside).
        pool.preparedQuery("INSERT INTO outbox (generation_id, event_id, event_type, cloud_event, refused_at, refusal)"
                        + " VALUES ($1, $2, 'ai.vidgen.generation.cancel-requested', '{}', now(), 'InvalidRecordException: test')")
                .execute(Tuple.of(id, id + ":cancel_requested")).await().atMost(EventLog.WAIT);

        await().atMost(EventLog.WAIT).untilAsserted(() -> get(tenant, id)
                .body("status", equalTo("failed"))
                .body("error.type", equalTo("publish_rejected"))
                .body("error.message", containsString("ai.vidgen.generation.cancel-requested")));
    }

    private static String accept(String tenant, String prompt, String callbackUrl) {
        String body = "{\"endpoint_id\":\"" + T2V + "\",\"input\":{\"prompt\":\"" + prompt + "\"}"
                + (callbackUrl == null ? "" : ",\"callback_url\":\"" + callbackUrl + "\"") + "}";
        return given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body).post("/v1/generations")
                .then().statusCode(202).extract().path("id");
    }

    private static io.restassured.response.ValidatableResponse get(String tenant, String id) {
        return given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200);
    }

    private long scalar(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(EventLog.WAIT)
                .iterator().next().getLong(0);
    }
}
