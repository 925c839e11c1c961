package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** API keys resolve the tenant; a tenant never sees another's generations. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class TenantIsolationTest {

    static final String ADMIN = "test-admin-token";
    static final String BODY = "{\"endpoint_id\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"input\":{\"prompt\":\"mine\"}}";

    @Test
    void adminApiNeedsTheAdminToken() {
        String tenant = "t-" + UUID.randomUUID();
        given().post("/admin/tenants/{t}/api-keys", tenant).then().statusCode(401)
                .header("WWW-Authenticate", startsWith("Bearer"))
                .contentType("application/problem+json");
        given().header("Authorization", "Bearer wrong").post("/admin/tenants/{t}/api-keys", tenant).then().statusCode(401);
        // A tenant's API key is not an admin token.
        String key = newKey(tenant);
        given().header("Authorization", "Bearer " + key).get("/admin/tenants/{t}/api-keys", tenant).then().statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN).get("/admin/tenants/{t}/api-keys", tenant).then()
                .statusCode(200).body("data.size()", equalTo(1)).body("data[0].key", nullValue())
                .body("data[0].tenant_id", equalTo(tenant));
    }

    @Test
    void aTenantSeesOnlyItsOwnGenerationsAndAnotherTenantsIdIs404() {
        String a = "a-" + UUID.randomUUID();
        String b = "b-" + UUID.randomUUID();
        String keyA = newKey(a);
        String keyB = newKey(b);
        String id = post(keyA, BODY).statusCode(202).extract().path("id");

        get(keyA, "/v1/generations/" + id).statusCode(200).body("tenant_id", equalTo(a));
        get(keyB, "/v1/generations/" + id).statusCode(404).contentType("application/problem+json");
        get(keyA, "/v1/generations").statusCode(200).body("data.id", hasItem(id));
        get(keyB, "/v1/generations").statusCode(200).body("data.id", not(hasItem(id)));
        // The key wins over a forged tenant header.
        given().header("Authorization", "Bearer " + keyB).header("X-Tenant-Id", a)
                .get("/v1/generations/{id}", id).then().statusCode(404);
        // Idempotency keys are per tenant too.
        String k = "idem-" + UUID.randomUUID();
        String first = given().header("Authorization", "Bearer " + keyA).header("Idempotency-Key", k)
                .contentType(ContentType.JSON).body(BODY).post("/v1/generations").then().statusCode(202).extract().path("id");
        String other = given().header("Authorization", "Bearer " + keyB).header("Idempotency-Key", k)
                .contentType(ContentType.JSON).body(BODY).post("/v1/generations").then().statusCode(202).extract().path("id");
        org.junit.jupiter.api.Assertions.assertNotEquals(first, other);
    }

    @Test
    void wrongRevokedOrMalformedKeysAre401NeverAFallback() {
        String tenant = "t-" + UUID.randomUUID();
        String key = newKey(tenant);
        post(key, BODY).statusCode(202);
        // Same id, different secret.
        String forged = key.substring(0, key.indexOf('.') + 1) + "A".repeat(43);
        post(forged, BODY).statusCode(401).header("WWW-Authenticate", containsString("Bearer"));
        given().header("Authorization", "Basic Zm9vOmJhcg==").header("X-Tenant-Id", tenant)
                .get("/v1/generations").then().statusCode(401);
        given().header("Authorization", "Bearer nonsense").get("/v1/generations").then().statusCode(401);

        String keyId = key.substring(4, key.indexOf('.'));
        given().header("Authorization", "Bearer " + ADMIN).delete("/admin/tenants/{t}/api-keys/{k}", tenant, keyId)
                .then().statusCode(204);
        post(key, BODY).statusCode(401);
        given().header("Authorization", "Bearer " + ADMIN).delete("/admin/tenants/{t}/api-keys/{k}", "other", keyId)
                .then().statusCode(404);
    }

    @Test
    void aKeyFromConfigurationResolvesItsTenant() {
        String id = post("cfg-test-key-0123456789", BODY).statusCode(202).extract().path("id");
        get("cfg-test-key-0123456789", "/v1/generations/" + id).statusCode(200).body("tenant_id", equalTo("cfg-tenant"));
        post("cfg-test-key-0123456789x", BODY).statusCode(401);
    }

    @Test
    void theTenantHeaderStillWorksWhenTheSwitchIsOn() {
        String tenant = "h-" + UUID.randomUUID();
        String id = given().header("X-Tenant-Id", tenant).contentType(ContentType.JSON).body(BODY)
                .post("/v1/generations").then().statusCode(202).extract().path("id");
        given().header("X-Tenant-Id", tenant).get("/v1/generations/{id}", id).then().statusCode(200);
        given().header("X-Tenant-Id", "someone-else").get("/v1/generations/{id}", id).then().statusCode(404);
    }

    static String newKey(String tenant) {
        return given().header("Authorization", "Bearer " + ADMIN).contentType(ContentType.JSON)
                .body("{\"label\":\"ci\"}").post("/admin/tenants/{t}/api-keys", tenant)
                .then().statusCode(201).body("key", startsWith("vgk_")).body("tenant_id", equalTo(tenant))
                .extract().path("key");
    }

    static ValidatableResponse post(String key, String body) {
        return given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON).body(body)
                .post("/v1/generations").then();
    }

    static ValidatableResponse get(String key, String path) {
        return given().header("Authorization", "Bearer " + key).get(path).then();
    }
}
