package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.empty;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class GenerationsApiTest {

    static final String V3_STD_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String REQUESTED = "ai.vidgen.generation.requested";

    private static EventLog kafka;

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.rest-client.billing.url")
    String billingUrl;

    @BeforeAll
    static void openKafka() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void closeKafka() {
        kafka.close();
    }

    @Test
    void acceptsAValidRequestAndPublishesGenerationRequestedWithItsSpec() throws Exception {
        String tenant = freshTenant();
        String body = "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"A fox in the snow\","
                + "\"duration\":\"5\",\"generate_audio\":true},\"metadata\":{\"campaign\":\"winter\"}}";
        var accepted = post(tenant, body, null)
                .statusCode(202)
                .header("Location", containsString("/v1/generations/"))
                .body("status", equalTo("queued"))
                .body("endpoint_id", equalTo(V3_STD_T2V))
                .body("estimate.amount_micros", equalTo(1_120_000))
                .body("estimate.amount", equalTo("1.12"))
                .body("estimate.currency", equalTo("USD"))
                .body("estimate.rate_micros_per_second", equalTo(224_000))
                .body("estimate.seconds", equalTo(5))
                .extract();
        String id = accepted.path("id");
        assertEquals("/v1/generations/" + id, accepted.path("links.self"));

        ConsumerRecord<String, String> record = kafka.await(id, REQUESTED);
        assertEquals("application/cloudevents+json",
                new String(record.headers().lastHeader("content-type").value(), StandardCharsets.UTF_8));
        DecodedEvent event = kafka.decode(record);
        assertEquals("/vidgen/request-service", event.envelope().source());
        assertEquals(id, event.envelope().subject());
        // The generation's trace starts with the HTTP request that accepted it, and travels in the event.
        assertNotNull(event.envelope().traceparent(), "the event carries the request's trace");
        GenerationRequested requested = assertInstanceOf(GenerationRequested.class, event.data());
        assertEquals(new GenerationSpec(V3_STD_T2V, 5, true, false), requested.spec());
        assertEquals(tenant, requested.tenantId());
        assertEquals("interactive", requested.priority());
        assertEquals(new ObjectMapper().readTree(body).get("input"), requested.input());

        get(tenant, id).statusCode(200)
                .body("id", equalTo(id))
                .body("tenant_id", equalTo(tenant))
                .body("priority", equalTo("interactive"))
                .body("input.prompt", equalTo("A fox in the snow"))
                .body("spec.seconds", equalTo(5))
                .body("spec.audio", equalTo(true))
                .body("metadata.campaign", equalTo("winter"))
                .body("estimate.amount", equalTo("1.12"))
                .body("cost", nullValue())
                .body("video", nullValue())
                .body("timeline.stage", hasItem("requested"))
                .body("created_at", notNullValue());
    }

    @Test
    void refusesAnInvalidRequestWithEveryErrorAtOnceAndSpendsAndPublishesNothing() {
        String tenant = freshTenant();
        int billingCalls = BillingStub.calls(billingUrl);
        post(tenant, "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"priority\":\"urgent\",\"input\":{\"prompt\":\"a\","
                + "\"duration\":\"17\",\"aspect_ratio\":\"4:3\",\"cfg_scale\":2,\"voice_ids\":[\"v1\"]}}", null)
                .statusCode(422)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:invalid-request"))
                .body("title", notNullValue())
                .body("status", equalTo(422))
                .body("detail", containsString("5 problems"))
                .body("errors", hasSize(5))
                .body("errors.pointer", hasItems("/input/duration", "/input/aspect_ratio", "/input/cfg_scale",
                        "/input/voice_ids", "/priority"))
                .body("errors.find { it.pointer == '/input/duration' }.detail",
                        equalTo("duration must be one of \"3\"..\"15\" (a string); got \"17\""));

        assertEquals(billingCalls, BillingStub.calls(billingUrl), "billing was asked for an estimate");
        list(tenant).statusCode(200).body("data", empty());
        // Nothing stored means nothing in the outbox, the only way to the topic. Then a valid
        // request of the same tenant reaches the topic, and nothing of this tenant came before it.
        String marker = post(tenant, validBody("marker"), null).statusCode(202).extract().path("id");
        kafka.await(marker, REQUESTED);
        assertEquals(0L, scalar("SELECT count(*) FROM outbox o JOIN generations g ON g.id = o.generation_id "
                + "WHERE g.tenant_id = $1 AND g.id <> $2", tenant, marker));
    }

    @Test
    void anIdempotencyKeyGivesTheSameGenerationOnceAndRefusesADifferentBody() {
        String tenant = freshTenant();
        String key = "order-" + UUID.randomUUID();
        String body = validBody("idempotent fox");
        String id = post(tenant, body, key).statusCode(202).extract().path("id");
        int billingCalls = BillingStub.calls(billingUrl);

        // Same request, keys reordered and the default priority spelled out: still the same request.
        String sameRequest = "{\"priority\":\"interactive\",\"input\":{\"duration\":\"5\",\"prompt\":\"idempotent fox\"},"
                + "\"endpoint_id\":\"" + V3_STD_T2V + "\"}";
        post(tenant, sameRequest, key).statusCode(202)
                .header("Idempotent-Replayed", "true")
                .body("id", equalTo(id));
        assertEquals(billingCalls, BillingStub.calls(billingUrl), "a replay asked billing again");

        post(tenant, validBody("a different fox"), key).statusCode(409)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:idempotency-key-reused"))
                .body("status", equalTo(409));

        // The same key in another tenant is another request.
        String other = post(freshTenant(), body, key).statusCode(202).extract().path("id");
        kafka.await(other, REQUESTED);

        kafka.await(id, REQUESTED);
        // The relay deletes an outbox row once the broker acknowledged it: once none is left for the
        // generation, every event written for it is on the topic, and there is exactly one.
        org.awaitility.Awaitility.await().atMost(EventLog.WAIT)
                .until(() -> scalar("SELECT count(*) FROM outbox WHERE generation_id = $1", id) == 0L);
        assertEquals(1L, scalar("SELECT count(*) FROM generations WHERE tenant_id = $1", tenant));
        assertEquals(1, kafka.records(id).stream()
                .filter(r -> kafka.decode(r).envelope().type().equals(REQUESTED)).count());
    }

    @Test
    void anotherTenantCannotSeeAGeneration() {
        String owner = freshTenant();
        String id = post(owner, validBody("private fox"), null).statusCode(202).extract().path("id");

        get(freshTenant(), id).statusCode(404)
                .contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:not-found"))
                .body("status", equalTo(404));
        list(freshTenant()).statusCode(200).body("data.id", empty());
        get(owner, id).statusCode(200).body("id", equalTo(id));
        get(owner, UUID.randomUUID().toString()).statusCode(404);
    }

    @Test
    void aDryRunValidatesAndEstimatesButStoresAndPublishesNothing() {
        String tenant = freshTenant();
        given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"fal-ai/kling-video/o3/standard/text-to-video\",\"input\":{\"prompt\":\"a\","
                        + "\"duration\":\"5\",\"generate_audio\":true,\"voice_ids\":[\"v1\"]}}")
                .queryParam("dry_run", true)
                .post("/v1/generations")
                .then().statusCode(200)
                .body("dry_run", equalTo(true))
                .body("spec.seconds", equalTo(5))
                .body("spec.voice_control", equalTo(true))
                .body("estimate.amount_micros", equalTo(1_340_000))
                .body("estimate.amount", equalTo("1.34"));
        list(tenant).statusCode(200).body("data", empty());
        assertEquals(0L, scalar("SELECT count(*) FROM generations WHERE tenant_id = $1", tenant));

        given().contentType(ContentType.JSON).body("{\"endpoint_id\":\"nope\",\"input\":{}}")
                .queryParam("dry_run", true).post("/v1/generations")
                .then().statusCode(422).body("errors.pointer", hasItem("/endpoint_id"));
    }

    @Test
    void acceptsWithoutAnEstimateWhenBillingIsDown() {
        BillingStub.setDown(billingUrl, true);
        try {
            String id = post(freshTenant(), validBody("fox while billing sleeps"), null).statusCode(202)
                    .body("estimate", nullValue())
                    .extract().path("id");
            kafka.await(id, REQUESTED);
        } finally {
            BillingStub.setDown(billingUrl, false);
        }
    }

    @Test
    void refusesWhatBillingCannotPrice() {
        String v26 = "fal-ai/kling-video/v2.6/pro/text-to-video";
        BillingStub.setUnpriced(billingUrl, v26);
        try {
            post(freshTenant(), "{\"endpoint_id\":\"" + v26 + "\",\"input\":{\"prompt\":\"a\"}}", null)
                    .statusCode(422)
                    .contentType("application/problem+json")
                    .body("type", equalTo("urn:vidgen:problem:unpriceable"))
                    .body("reason", equalTo("no_price"));
        } finally {
            BillingStub.setUnpriced(billingUrl, "");
        }
    }

    @Test
    void malformedJsonAndBadHeadersAreProblemsToo() {
        given().contentType(ContentType.JSON).body("{\"endpoint_id\": ").post("/v1/generations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:malformed-body"));
        given().header("X-Tenant-Id", "not a tenant!").get("/v1/generations")
                .then().statusCode(400).contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:invalid-header"));
        given().get("/v1/nothing-here").then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void listsNewestFirstWithACursorAndAStatusFilter() {
        String tenant = freshTenant();
        String first = post(tenant, validBody("one"), null).statusCode(202).extract().path("id");
        String second = post(tenant, validBody("two"), null).statusCode(202).extract().path("id");
        String third = post(tenant, validBody("three"), null).statusCode(202).extract().path("id");

        var page1 = given().header("X-Tenant-Id", tenant).queryParam("limit", 2).get("/v1/generations")
                .then().statusCode(200).body("data.id", equalTo(List.of(third, second)))
                .body("next_cursor", notNullValue()).extract();
        given().header("X-Tenant-Id", tenant).queryParam("limit", 2).queryParam("cursor", (String) page1.path("next_cursor"))
                .get("/v1/generations")
                .then().statusCode(200).body("data.id", equalTo(List.of(first))).body("next_cursor", nullValue());
        given().header("X-Tenant-Id", tenant).queryParam("status", "completed").get("/v1/generations")
                .then().statusCode(200).body("data", empty());
        given().header("X-Tenant-Id", tenant).queryParam("status", "done").queryParam("limit", 500)
                .get("/v1/generations")
                .then().statusCode(400).body("errors.parameter", hasItems("status", "limit"));
    }

    @Test
    void theOpenApiDocumentDescribesTheAnswers() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/generations'.post.responses.keySet()", hasItems("202", "400", "409"))
                .body("paths.'/v1/generations/{id}'.get.responses.keySet()", hasItems("200", "404"))
                .body("components.schemas.CreateGeneration.properties.keySet()", hasItems("endpoint_id", "input"));
        given().get("/q/health/ready").then().statusCode(200);
    }

    static String validBody(String prompt) {
        return "{\"endpoint_id\":\"" + V3_STD_T2V + "\",\"input\":{\"prompt\":\"" + prompt + "\",\"duration\":\"5\"}}";
    }

    static String freshTenant() {
        return "t-" + UUID.randomUUID();
    }

    static ValidatableResponse post(String tenant, String body, String idempotencyKey) {
        var request = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(body);
        if (idempotencyKey != null) {
            request = request.header("Idempotency-Key", idempotencyKey);
        }
        return request.post("/v1/generations").then();
    }

    static ValidatableResponse get(String tenant, String id) {
        return given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then();
    }

    static ValidatableResponse list(String tenant) {
        return given().header("X-Tenant-Id", tenant).get("/v1/generations").then();
    }

    private long scalar(String sql, Object... params) {
        return pool.preparedQuery(sql).execute(Tuple.from(params)).await().atMost(EventLog.WAIT)
                .iterator().next().getLong(0);
    }
}
