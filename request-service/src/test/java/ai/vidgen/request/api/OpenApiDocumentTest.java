package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.notNullValue;

import ai.vidgen.request.support.BillingStub;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

/** The OpenAPI document names the new operations, statuses and errors. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class OpenApiDocumentTest {

    @Test
    void documentsCancelValidationCallbacksTheCatalogAndTheTenantsMoney() {
        given().queryParam("format", "json").get("/q/openapi").then().statusCode(200)
                .body("paths.'/v1/generations'.post.responses", hasKey("422"))
                .body("paths.'/v1/generations'.post.responses", hasKey("400"))
                .body("paths.'/v1/generations/{id}/cancel'.post.responses", hasKey("202"))
                .body("paths.'/v1/generations/{id}/cancel'.post.responses", hasKey("409"))
                .body("paths.'/v1/generations/{id}/cancel'.post.responses", hasKey("404"))
                .body("paths.'/v1/catalog'.get", notNullValue())
                .body("paths.'/v1/webhooks/secret'.get", notNullValue())
                .body("paths.'/v1/usage'.get.responses", hasKey("401"))
                .body("paths.'/v1/budget'.get.responses", hasKey("503"))
                .body("paths.'/v1/ledger'.get.responses", hasKey("404"))
                .body("components.schemas.Budget.properties", hasKey("limit_micros"))
                .body("components.schemas.CreateGeneration.properties", hasKey("callback_url"))
                .body("components.schemas.CreateGeneration.properties", hasKey("draft"))
                .body("components.schemas.Generation.properties", hasKey("ran_on"))
                .body("components.schemas.Generation.properties", hasKey("cancel_requested_at"));
    }
}
