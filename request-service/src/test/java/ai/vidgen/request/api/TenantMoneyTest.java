package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.contains;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.everyItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A tenant reads its own usage, budget and ledger with its API key; billing-service is the stub
 * at its HTTP boundary ({@link BillingStub}), which, like billing, answers for whatever tenant or
 * generation it is asked and only with the service token. Run as production runs: API keys only
 * ({@code request.auth.allow-tenant-header=false}).
 */
@QuarkusTest
@TestProfile(TenantMoneyTest.ApiKeysOnly.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class TenantMoneyTest {

    public static class ApiKeysOnly implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.request.auth.allow-tenant-header", "false");
        }
    }

    static final String ADMIN = "test-admin-token";
    static final String BODY = "{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"input\":{\"prompt\":\"paid\"}}";
    static final List<String> ROUTES = List.of("/v1/usage", "/v1/usage?format=csv", "/v1/budget", "/v1/ledger");

    @ConfigProperty(name = "quarkus.rest-client.billing.url")
    String billingUrl;

    String tenantA;
    String tenantB;
    String keyA;
    String keyB;
    String generationA;
    String generationB;

    /** Two tenants with one generation each; A: settled 1.12, corrected by -0.12, a budget of 5.00; B: 2.24, no budget. */
    @BeforeEach
    void twoTenantsWithMoney() {
        tenantA = "money-a-" + UUID.randomUUID();
        tenantB = "money-b-" + UUID.randomUUID();
        keyA = newKey(tenantA);
        keyB = newKey(tenantB);
        generationA = as(keyA).contentType(ContentType.JSON).body(BODY).post("/v1/generations").then().statusCode(202)
                .extract().path("id");
        generationB = as(keyB).contentType(ContentType.JSON).body(BODY).post("/v1/generations").then().statusCode(202)
                .extract().path("id");
        BillingStub.addAccounts(billingUrl, """
                {"ledger": [%s, %s, %s, %s, %s], "budgets": {"%s": 5000000}}""".formatted(
                row(generationA, tenantA, "RESERVE", 1_120_000, "2026-03-02T10:00:00Z", null),
                row(generationA, tenantA, "SETTLE", 1_120_000, "2026-03-02T10:05:00Z", null),
                row(generationA, tenantA, "CORRECTION", -120_000, "2026-03-05T09:00:00Z", "goodwill"),
                row(generationB, tenantB, "RESERVE", 2_240_000, "2026-03-02T11:00:00Z", null),
                row(generationB, tenantB, "SETTLE", 2_240_000, "2026-03-02T11:05:00Z", null), tenantA));
    }

    @Test
    void aTenantSeesItsOwnBudget() {
        as(keyA).get("/v1/budget").then().statusCode(200)
                .body("tenant_id", equalTo(tenantA))
                .body("limit_micros", equalTo(5_000_000)).body("limit", equalTo("5.00"))
                .body("committed_micros", equalTo(1_120_000)).body("committed", equalTo("1.12"))
                .body("remaining_micros", equalTo(3_880_000)).body("remaining", equalTo("3.88"))
                .body("currency", equalTo("USD")).body("period_start", equalTo("2026-03-01T00:00:00Z"));
        // No budget is not a budget of zero.
        as(keyB).get("/v1/budget").then().statusCode(200)
                .body("tenant_id", equalTo(tenantB)).body("limit_micros", nullValue()).body("remaining_micros", nullValue())
                .body("committed_micros", equalTo(2_240_000));
    }

    @Test
    void aTenantSeesItsOwnUsageAsJsonOrCsvWithBillingsQueryParameters() {
        as(keyA).get("/v1/usage").then().statusCode(200)
                .body("tenant_id", equalTo(tenantA))
                .body("total_charged_micros", equalTo(1_000_000)).body("total_charged", equalTo("1.00"))
                .body("total_billed_seconds", equalTo(5)).body("currency", equalTo("USD"));
        // Grouped by tenant: only its own group, although billing's report without a tenant covers all.
        as(keyA).queryParam("groupBy", "tenant").get("/v1/usage").then().statusCode(200)
                .body("group_by", contains("tenant"))
                .body("groups.group.tenant", contains(tenantA))
                .body("groups[0].charged_micros", equalTo(1_000_000)).body("groups[0].charged", equalTo("1.00"))
                .body("groups[0].generations", equalTo(1));
        // from and to reach billing: after the settlement only the correction remains.
        as(keyA).queryParam("from", "2026-03-03T00:00:00Z").queryParam("to", "2026-04-01T00:00:00Z")
                .get("/v1/usage").then().statusCode(200).body("total_charged_micros", equalTo(-120_000))
                .body("total_charged", equalTo("-0.12"));

        String csv = as(keyA).queryParam("format", "csv").queryParam("groupBy", "tenant").get("/v1/usage").then()
                .statusCode(200).contentType(startsWith("text/csv")).extract().asString();
        org.junit.jupiter.api.Assertions.assertEquals("tenant,charged_micros,charged_usd,billed_seconds,generations,"
                + "corrections_micros\r\n" + tenantA + ",1000000,1.00,5,1,0\r\n", csv);
        as(keyA).accept("text/csv").get("/v1/usage").then().statusCode(200).contentType(startsWith("text/csv"))
                .body(containsString("1000000,1.00,5,1,0")).body(not(containsString("2240000")));
    }

    @Test
    void aTenantSeesItsOwnLedgerAndItsGenerationsLedger() {
        as(keyA).get("/v1/ledger").then().statusCode(200)
                .body("data.generation_id", everyItem(equalTo(generationA)))
                .body("data.kind", contains("RESERVE", "SETTLE", "CORRECTION"))
                .body("data[1].amount_micros", equalTo(1_120_000)).body("data[1].amount", equalTo("1.12"))
                .body("data[1].currency", equalTo("USD")).body("data[1].seconds", equalTo(5))
                .body("data[1].rate_micros_per_second", equalTo(224_000))
                .body("data[1].endpoint_id", equalTo("fal-ai/kling-video/v3/standard/text-to-video"))
                .body("data[2].amount", equalTo("-0.12")).body("data[2].reason", equalTo("goodwill"));
        as(keyA).queryParam("generationId", generationA).queryParam("limit", 2).get("/v1/ledger").then().statusCode(200)
                .body("data.kind", contains("RESERVE", "SETTLE", "CORRECTION"));
        as(keyA).queryParam("limit", 2).get("/v1/ledger").then().statusCode(200)
                .body("data.kind", contains("RESERVE", "SETTLE"));
        as(keyA).queryParam("limit", 0).get("/v1/ledger").then().statusCode(400)
                .body("errors[0].parameter", equalTo("limit"));
    }

    @Test
    void falsCostOfAVideoTheTenantNeverGotIsNotInItsLedger() {
        String lost = as(keyB).contentType(ContentType.JSON).body(BODY).post("/v1/generations").then().statusCode(202)
                .extract().path("id");
        // Archiving failed: the reservation went back, and billing recorded what fal charged us.
        BillingStub.addAccounts(billingUrl, """
                {"ledger": [%s, %s, %s], "budgets": {}}""".formatted(
                row(lost, tenantB, "RESERVE", 1_120_000, "2026-03-02T12:00:00Z", null),
                row(lost, tenantB, "RELEASE", 1_120_000, "2026-03-02T12:05:00Z", "archive failed"),
                row(lost, tenantB, "FAL_LOSS", 1_120_000, "2026-03-02T12:05:00Z", "ARCHIVE_FAILED")));
        as(keyB).queryParam("generationId", lost).get("/v1/ledger").then().statusCode(200)
                .body("data.kind", contains("RESERVE", "RELEASE"));
    }

    @Test
    void anotherTenantsDataIsNotFoundAndTheTenantIsNeverAParameter() {
        // Billing would answer B's rows for B's generation id; the front door does not ask it.
        as(keyA).queryParam("generationId", generationB).get("/v1/ledger").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:vidgen:problem:not-found"));
        as(keyA).queryParam("generationId", "no-such-" + UUID.randomUUID()).get("/v1/ledger").then().statusCode(404);
        for (String route : ROUTES) {
            as(keyA).queryParam("tenantId", tenantB).get(route).then().statusCode(400)
                    .contentType("application/problem+json").body("errors[0].parameter", equalTo("tenantId"))
                    .body(not(containsString("2240000")));
        }
    }

    @Test
    void withoutAValidApiKeyEveryRouteIs401() {
        for (String route : ROUTES) {
            unauthorized(given().get(route));
            // The tenant header is not trusted here, as in production.
            unauthorized(given().header("X-Tenant-Id", tenantA).get(route));
            unauthorized(given().header("Authorization", "Bearer " + keyA.substring(0, keyA.indexOf('.') + 1)
                    + "A".repeat(43)).get(route));
            // Neither the operators' token nor the services' is an API key.
            unauthorized(given().header("Authorization", "Bearer " + ADMIN).get(route));
            unauthorized(given().header("Authorization", "Bearer " + BillingStub.SERVICE_TOKEN).get(route));
        }
    }

    @Test
    void billingsRefusalOfTheQueryIsA400AndBillingDownIsA503() {
        as(keyA).queryParam("from", "yesterday").get("/v1/usage").then().statusCode(400)
                .contentType("application/problem+json").body("type", equalTo("urn:vidgen:problem:invalid-request"))
                .body("errors[0].parameter", equalTo("from"));
        as(keyA).queryParam("format", "xml").get("/v1/usage").then().statusCode(400)
                .body("errors[0].parameter", equalTo("format"));
        BillingStub.setDown(billingUrl, true);
        try {
            for (String route : ROUTES) {
                as(keyA).get(route).then().statusCode(503).contentType("application/problem+json")
                        .body("type", equalTo("urn:vidgen:problem:billing-unavailable"));
            }
        } finally {
            BillingStub.setDown(billingUrl, false);
        }
    }

    private static void unauthorized(io.restassured.response.Response response) {
        ValidatableResponse then = response.then().statusCode(401).contentType("application/problem+json")
                .header("WWW-Authenticate", startsWith("Bearer"));
        then.body(not(containsString("1000000")));
    }

    private static io.restassured.specification.RequestSpecification as(String apiKey) {
        return given().header("Authorization", "Bearer " + apiKey);
    }

    private static String newKey(String tenant) {
        return given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body("{\"label\":\"money\"}").post("/admin/tenants/{t}/api-keys", tenant)
                .then().statusCode(201).extract().path("key");
    }

    /** One row as billing's {@code GET /v1/ledger} renders it (Kling V3 standard with audio, 5 s). */
    private static String row(String generation, String tenant, String kind, long micros, String at, String reason) {
        return """
                {"generationId":"%s","tenantId":"%s","kind":"%s","amountMicros":%d,"amount":"x","seconds":%d,
                 "rateMicrosPerSecond":224000,"endpointId":"fal-ai/kling-video/v3/standard/text-to-video",
                 "modelFamily":"KLING_V3","tier":"STANDARD","audio":true,"voiceControl":false,
                 "priceBookVersion":"2026-02","reason":%s,"createdAt":"%s"}""".formatted(generation, tenant, kind, micros,
                kind.equals("CORRECTION") ? 0 : 5, reason == null ? "null" : "\"" + reason + "\"", at);
    }
}
