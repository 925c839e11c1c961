package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.ADMIN_TOKEN;
import static ai.vidgen.billing.Callers.SERVICE_TOKEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;

import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A deployment that forgot its credentials: the operators' routes do not exist (404) and the
 * internal routes and tenant reads refuse everyone (401): nothing opens by omission.
 */
@QuarkusTest
@TestProfile(CredentialsUnsetTest.NoCredentials.class)
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class CredentialsUnsetTest {

    public static class NoCredentials implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("%test.vidgen.auth.admin-tokens", "", "%test.vidgen.auth.service-tokens", "");
        }
    }

    @Test
    void theOperatorsRoutesDoNotExist() {
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).get("/v1/price-books").then().statusCode(404)
                .contentType("application/problem+json").body("type", equalTo("urn:vidgen:problem:not-found"));
        given().header("Authorization", "Bearer " + ADMIN_TOKEN).contentType("application/json")
                .body("{\"limitMicros\": 1}").put("/v1/budgets/t").then().statusCode(404)
                .body("type", equalTo("urn:vidgen:problem:not-found"));
    }

    @Test
    void theTenantReadsRefuseEveryone() {
        for (String path : new String[] {"/v1/budgets/t", "/v1/ledger?tenantId=t", "/v1/usage"}) {
            for (String token : new String[] {SERVICE_TOKEN, ADMIN_TOKEN, ""}) {
                given().header("Authorization", "Bearer " + token).get(path).then().statusCode(401)
                        .body("type", equalTo("urn:vidgen:problem:unauthorized"));
            }
        }
    }

    @Test
    void theInternalRoutesRefuseEveryone() {
        for (String token : new String[] {SERVICE_TOKEN, ADMIN_TOKEN, ""}) {
            given().header("Authorization", "Bearer " + token).contentType("application/json")
                    .body("{\"endpointId\":\"fal-ai/kling-video/v3/standard/text-to-video\",\"seconds\":5,"
                            + "\"audio\":true,\"voiceControl\":false}")
                    .post("/v1/estimates").then().statusCode(401)
                    .body("type", equalTo("urn:vidgen:problem:unauthorized"));
        }
    }
}
