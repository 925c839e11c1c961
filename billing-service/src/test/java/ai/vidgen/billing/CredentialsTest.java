package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.ADMIN_TOKEN;
import static ai.vidgen.billing.Callers.SERVICE_TOKEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every route is refused without the right bearer token, before it reads anything: the internal
 * routes (estimates, reservations) take a service token (or an operator's), the operators' routes
 * (budgets, price books, ledger and corrections, usage, CSV included) an admin token only.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class CredentialsTest {

    private static final String TENANT = "credentials-" + UUID.randomUUID();
    private static final String SPEC = """
            {"endpointId":"fal-ai/kling-video/v3/standard/text-to-video","seconds":5,"audio":true,"voiceControl":false}""";

    /** One route as its caller would use it, and what it answers to that caller. */
    record Route(String method, String path, String accept, String body, int answers) {

        Route(String method, String path, String body, int answers) {
            this(method, path, null, body, answers);
        }

        ValidatableResponse call(RequestSpecification request) {
            if (accept != null) {
                request.accept(accept);
            }
            if (body != null) {
                request.contentType("application/json").body(body);
            }
            return request.request(method, path).then();
        }

        @Override
        public String toString() {
            return method + " " + path + (accept == null ? "" : " (" + accept + ")");
        }
    }

    static Stream<Route> adminRoutes() {
        return Stream.of(
                new Route("GET", "/v1/budgets/" + TENANT, null, 200),
                new Route("PUT", "/v1/budgets/" + TENANT, "{\"limitMicros\": 5000000}", 200),
                new Route("DELETE", "/v1/budgets/" + TENANT, null, 200),
                new Route("GET", "/v1/price-books", null, 200),
                // Invalid on purpose: a valid version would change the price book the other tests price with.
                new Route("POST", "/v1/price-books", "{\"version\":\"\"}", 400),
                new Route("GET", "/v1/ledger?tenantId=" + TENANT, null, 200),
                new Route("POST", "/v1/ledger/corrections", """
                        {"correctionId":"c-%s","generationId":"unknown-%s","amountMicros":-1,"reason":"test"}"""
                        .formatted(UUID.randomUUID(), UUID.randomUUID()), 404),
                new Route("GET", "/v1/usage?tenantId=" + TENANT, null, 200),
                new Route("GET", "/v1/usage?format=csv&tenantId=" + TENANT, null, 200),
                new Route("GET", "/v1/usage?tenantId=" + TENANT, "text/csv", null, 200));
    }

    static Stream<Route> serviceRoutes() {
        return Stream.of(
                new Route("POST", "/v1/estimates", SPEC, 200),
                new Route("POST", "/v1/reservations", """
                        {"generationId":"%s","tenantId":"%s","spec":%s}""".formatted(UUID.randomUUID(), TENANT, SPEC), 200));
    }

    static Stream<Route> everyRoute() {
        return Stream.concat(adminRoutes(), serviceRoutes());
    }

    @ParameterizedTest(name = "{0} without a token: 401")
    @MethodSource("everyRoute")
    void withoutATokenEveryRouteIs401(Route route) {
        unauthorized(route.call(given()), route);
    }

    @ParameterizedTest(name = "{0} with a wrong token: 401")
    @MethodSource("everyRoute")
    void withAWrongTokenEveryRouteIs401(Route route) {
        unauthorized(route.call(bearer("not-" + ADMIN_TOKEN)), route);
    }

    @ParameterizedTest(name = "{0} with the service token: 401")
    @MethodSource("adminRoutes")
    void theServiceTokenDoesNotOpenTheOperatorsRoutes(Route route) {
        unauthorized(route.call(bearer(SERVICE_TOKEN)), route);
    }

    @ParameterizedTest(name = "{0} with the admin token: as before")
    @MethodSource("adminRoutes")
    void theAdminTokenOpensTheOperatorsRoutes(Route route) {
        route.call(bearer(ADMIN_TOKEN)).statusCode(route.answers());
    }

    @ParameterizedTest(name = "{0} with the service token: as before")
    @MethodSource("serviceRoutes")
    void theServiceTokenOpensTheInternalRoutes(Route route) {
        route.call(bearer(SERVICE_TOKEN)).statusCode(route.answers());
    }

    @Test
    void anOperatorMayCallTheInternalRoutesToo() {
        new Route("POST", "/v1/estimates", SPEC, 200).call(bearer(ADMIN_TOKEN)).statusCode(200)
                .body("amountMicros", equalTo(1_120_000));
    }

    /** Not a bearer token, a token without its scheme, an empty one, a prefix or an extension of the right one. */
    @ParameterizedTest(name = "Authorization: {0}")
    @ValueSource(strings = {"Basic dGVzdC1hZG1pbi10b2tlbjo=", ADMIN_TOKEN, "Bearer", "Bearer ",
            "Bearer test-admin", "Bearer " + ADMIN_TOKEN + "x", "Bearer " + SERVICE_TOKEN + "," + ADMIN_TOKEN})
    void aMalformedAuthorizationIs401(String authorization) {
        Route budget = new Route("GET", "/v1/budgets/" + TENANT, null, 200);
        unauthorized(budget.call(given().header("Authorization", authorization)), budget);
    }

    /** Before the credentials, an invalid budget answered 400 to anyone; now nobody learns even that. */
    @Test
    void theCredentialsAreCheckedBeforeTheBody() {
        Route invalid = new Route("PUT", "/v1/budgets/other", "{\"limitMicros\": -1}", 400);
        unauthorized(invalid.call(given()), invalid);
        unauthorized(invalid.call(bearer(SERVICE_TOKEN)), invalid);
        invalid.call(bearer(ADMIN_TOKEN)).statusCode(400);
        Route empty = new Route("PUT", "/v1/budgets/other", "", 400);
        unauthorized(empty.call(given()), empty);
        empty.call(bearer(ADMIN_TOKEN)).statusCode(400);
        Route noPrice = new Route("POST", "/v1/estimates", SPEC.replace("v3/standard", "unknown"), 422);
        unauthorized(noPrice.call(given()), noPrice);
        noPrice.call(bearer(SERVICE_TOKEN)).statusCode(422).body("reason", equalTo("no_price"));
    }

    private static RequestSpecification bearer(String token) {
        return given().header("Authorization", "Bearer " + token);
    }

    /** A 401 problem that names no token, neither the one presented nor one the service holds. */
    private static void unauthorized(ValidatableResponse response, Route route) {
        response.statusCode(401).contentType("application/problem+json")
                .body("type", equalTo("urn:vidgen:problem:unauthorized"))
                .body("status", equalTo(401))
                .body("instance", equalTo(route.path().replaceFirst("\\?.*", "")))
                .body(not(containsString(ADMIN_TOKEN))).body(not(containsString(SERVICE_TOKEN)));
    }
}
