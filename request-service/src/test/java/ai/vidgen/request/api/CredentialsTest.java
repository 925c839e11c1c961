package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * The platform's credentials, broken on purpose: every {@code /admin/...} route without a token, with
 * a wrong one (an API key included) and with the right one; billing's estimate route refusing a
 * call without this service's token, and the front door getting its estimate all the same.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class CredentialsTest {

    static final String ADMIN = "test-admin-token";

    @ConfigProperty(name = "quarkus.rest-client.billing.url")
    String billingUrl;

    private record Route(String name, Function<RequestSpecification, ValidatableResponse> call) {
    }

    @Test
    void everyAdminRouteIs401WithoutATokenAndWithAWrongOne() {
        String tenant = "cred-" + UUID.randomUUID();
        String key = TenantIsolationTest.newKey(tenant);
        String keyId = key.substring(4, key.indexOf('.'));
        List<Route> routes = List.of(
                new Route("create", r -> r.contentType(ContentType.JSON).body("{\"label\":\"x\"}")
                        .post("/admin/tenants/{t}/api-keys", tenant).then()),
                new Route("list", r -> r.get("/admin/tenants/{t}/api-keys", tenant).then()),
                new Route("revoke", r -> r.delete("/admin/tenants/{t}/api-keys/{k}", tenant, keyId).then()));
        for (Route route : routes) {
            route.call().apply(given()).statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("urn:vidgen:problem:unauthorized"))
                    .body("status", equalTo(401));
            for (String wrong : List.of("Bearer wrong", "Bearer " + ADMIN + "x", "Bearer " + key,
                    "Bearer test-service-token", "Basic " + ADMIN, ADMIN, "Bearer ")) {
                route.call().apply(given().header("Authorization", wrong)).statusCode(401)
                        .contentType("application/problem+json");
            }
        }
        // Nothing of the refused calls happened: one key, still valid.
        given().header("Authorization", "Bearer " + ADMIN).get("/admin/tenants/{t}/api-keys", tenant).then()
                .statusCode(200).body("data.size()", equalTo(1)).body("data[0].revoked_at", nullValue());
        given().header("Authorization", "Bearer " + key).get("/v1/generations").then().statusCode(200);

        // The right token: each route as before.
        routes.get(0).call().apply(given().header("Authorization", "Bearer " + ADMIN)).statusCode(201)
                .body("key", startsWith("vgk_")).body("label", equalTo("x"));
        routes.get(1).call().apply(given().header("Authorization", "Bearer " + ADMIN)).statusCode(200)
                .body("data.size()", equalTo(2));
        routes.get(2).call().apply(given().header("Authorization", "bearer " + ADMIN)).statusCode(204);
        given().header("Authorization", "Bearer " + key).get("/v1/generations").then().statusCode(401);
    }

    @Test
    void billingRefusesAnEstimateWithoutTheServiceTokenAndTheFrontDoorSendsIt() throws Exception {
        String body = "{\"endpointId\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"seconds\":5,"
                + "\"audio\":false,\"voiceControl\":false}";
        HttpClient http = HttpClient.newHttpClient();
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + ADMIN,
                "Basic " + BillingStub.SERVICE_TOKEN}) {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(billingUrl + "/v1/estimates"))
                    .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(body));
            if (authorization != null) {
                request.header("Authorization", authorization);
            }
            assertEquals(401, http.send(request.build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                    "the billing stub took " + authorization);
        }
        HttpResponse<String> granted = http.send(HttpRequest.newBuilder(URI.create(billingUrl + "/v1/estimates"))
                .header("Content-Type", "application/json").header("Authorization", "Bearer " + BillingStub.SERVICE_TOKEN)
                .POST(HttpRequest.BodyPublishers.ofString(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, granted.statusCode(), granted.body());

        // The front door's estimate came from billing, so its call carried the service token.
        given().header("X-Tenant-Id", "cred-" + UUID.randomUUID()).contentType(ContentType.JSON)
                .body("{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"input\":{\"prompt\":\"a fox\","
                        + "\"duration\":\"5\",\"generate_audio\":false}}")
                .post("/v1/generations").then().statusCode(202)
                .body("estimate", notNullValue())
                .body("estimate.amount_micros", equalTo(840_000));
    }
}
