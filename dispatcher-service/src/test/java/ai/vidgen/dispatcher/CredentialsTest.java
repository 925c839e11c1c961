package ai.vidgen.dispatcher;

import static ai.vidgen.dispatcher.support.TestTokens.asOperator;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.dispatcher.support.BillingStub;
import ai.vidgen.dispatcher.support.BillingStub.Answer;
import ai.vidgen.dispatcher.support.BillingStubPort;
import ai.vidgen.dispatcher.support.TestEvents;
import ai.vidgen.dispatcher.support.TestTokens;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The platform's credentials, broken on purpose: {@code /v1/queue} without a token, with wrong ones
 * and with the operator's; billing's reservation route (the stub) refusing a call without this
 * service's token while the service's own reservations go through.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStubPort.class)
class CredentialsTest {

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
    void theQueueIs401WithoutATokenAndWithAWrongOne() {
        String tenant = TestEvents.newId("tenant");
        String id = TestEvents.newId("gen");
        int refusedBefore = billing.refusedCalls();
        billing.script(tenant, Answer.ACCEPT);
        events.publish(TestEvents.REQUEST_SERVICE, TestEvents.requested(id, tenant, "interactive"));
        await().atMost(PATIENCE).until(() -> !events.of(id, GenerationDispatched.class).isEmpty());
        // The reservation went through: the service presented its token to billing.
        assertEquals(1, billing.calls(id).size());
        assertEquals(refusedBefore, billing.refusedCalls(), "billing refused a call of the service");

        record Route(String name, Function<RequestSpecification, ValidatableResponse> call) {
        }
        List<Route> routes = List.of(
                new Route("queue", r -> r.queryParam("tenantId", tenant).get("/v1/queue").then()),
                new Route("generation", r -> r.get("/v1/queue/{id}", id).then()));
        for (Route route : routes) {
            route.call().apply(given()).statusCode(401)
                    .contentType("application/problem+json")
                    .header("WWW-Authenticate", startsWith("Bearer"))
                    .body("type", equalTo("urn:vidgen:problem:unauthorized"))
                    .body("status", equalTo(401));
            for (String wrong : List.of("Bearer wrong", "Bearer " + TestTokens.ADMIN + "x",
                    "Bearer " + TestTokens.SERVICE, "Basic " + TestTokens.ADMIN, TestTokens.ADMIN, "Bearer ")) {
                route.call().apply(given().header("Authorization", wrong)).statusCode(401)
                        .contentType("application/problem+json");
            }
        }
        // The operator's token: as before.
        routes.get(0).call().apply(asOperator()).statusCode(200)
                .body("maxInFlight", equalTo(1000)).body("counts.keySet()", hasItem("DISPATCHED"));
        routes.get(1).call().apply(given().header("Authorization", "bearer " + TestTokens.ADMIN)).statusCode(200)
                .body("status", equalTo("DISPATCHED")).body("tenantId", equalTo(tenant));
    }

    @Test
    void billingRefusesAReservationWithoutTheServiceToken() {
        int refusedBefore = billing.refusedCalls();
        String body = "{\"generationId\":\"" + TestEvents.newId("gen") + "\",\"tenantId\":\"nobody\"}";
        for (String authorization : new String[] {null, "Bearer wrong", "Bearer " + TestTokens.ADMIN,
                "Basic " + TestTokens.SERVICE}) {
            RequestSpecification request = given().contentType(ContentType.JSON).body(body);
            if (authorization != null) {
                request = request.header("Authorization", authorization);
            }
            request.post("/v1/reservations").then().statusCode(401).contentType("application/problem+json");
        }
        assertEquals(refusedBefore + 4, billing.refusedCalls());
        // With the token the stub answers as scripted (an unknown tenant: 402).
        given().contentType(ContentType.JSON).body(body).header("Authorization", "Bearer " + TestTokens.SERVICE)
                .post("/v1/reservations").then().statusCode(402).body("reason", equalTo("stub_unknown_tenant"));
    }
}
