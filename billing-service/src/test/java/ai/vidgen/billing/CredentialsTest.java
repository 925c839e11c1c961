package ai.vidgen.billing;

import static ai.vidgen.billing.Callers.ADMIN_TOKEN;
import static ai.vidgen.billing.Callers.SERVICE_TOKEN;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;

import ai.vidgen.billing.api.BudgetResource;
import ai.vidgen.billing.api.EstimateResource;
import ai.vidgen.billing.api.LedgerResource;
import ai.vidgen.billing.api.PriceBookResource;
import ai.vidgen.billing.api.ReservationResource;
import ai.vidgen.billing.api.UsageResource;
import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.auth.ServiceOnly;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ValidatableResponse;
import io.restassured.specification.RequestSpecification;
import jakarta.ws.rs.HttpMethod;
import java.lang.reflect.Method;
import java.util.List;
import java.util.UUID;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every route is refused without the right bearer token, before it reads anything: the internal
 * routes (estimates, reservations) and the tenant reads the request-service serves to each tenant
 * (a budget, the ledger, usage, CSV included) take a service token (or an operator's); the
 * operators' routes (budget changes, price books, corrections) an admin token only.
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
                new Route("PUT", "/v1/budgets/" + TENANT, "{\"limitMicros\": 5000000}", 200),
                new Route("DELETE", "/v1/budgets/" + TENANT, null, 200),
                new Route("GET", "/v1/price-books", null, 200),
                // Invalid on purpose: a valid version would change the price book the other tests price with.
                new Route("POST", "/v1/price-books", "{\"version\":\"\"}", 400),
                new Route("POST", "/v1/ledger/corrections", """
                        {"correctionId":"c-%s","generationId":"unknown-%s","amountMicros":-1,"reason":"test"}"""
                        .formatted(UUID.randomUUID(), UUID.randomUUID()), 404));
    }

    /** What the request-service reads for a tenant, with the tenant it resolved from the API key. */
    static Stream<Route> tenantReadRoutes() {
        return Stream.of(
                new Route("GET", "/v1/budgets/" + TENANT, null, 200),
                new Route("GET", "/v1/ledger?tenantId=" + TENANT, null, 200),
                new Route("GET", "/v1/ledger?generationId=" + UUID.randomUUID(), null, 200),
                new Route("GET", "/v1/usage?tenantId=" + TENANT, null, 200),
                new Route("GET", "/v1/usage?format=csv&tenantId=" + TENANT, null, 200),
                new Route("GET", "/v1/usage?tenantId=" + TENANT, "text/csv", null, 200));
    }

    static Stream<Route> operatorCalls() {
        return Stream.concat(adminRoutes(), tenantReadRoutes());
    }

    static Stream<Route> serviceCalls() {
        return Stream.concat(serviceRoutes(), tenantReadRoutes());
    }

    static Stream<Route> serviceRoutes() {
        return Stream.of(
                new Route("POST", "/v1/estimates", SPEC, 200),
                new Route("POST", "/v1/reservations", """
                        {"generationId":"%s","tenantId":"%s","spec":%s}""".formatted(UUID.randomUUID(), TENANT, SPEC), 200));
    }

    static Stream<Route> everyRoute() {
        return Stream.concat(operatorCalls(), serviceRoutes());
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
    @MethodSource("operatorCalls")
    void theAdminTokenOpensTheOperatorsRoutesAndTheTenantReads(Route route) {
        route.call(bearer(ADMIN_TOKEN)).statusCode(route.answers());
    }

    @ParameterizedTest(name = "{0} with the service token: as before")
    @MethodSource("serviceCalls")
    void theServiceTokenOpensTheInternalRoutesAndTheTenantReads(Route route) {
        route.call(bearer(SERVICE_TOKEN)).statusCode(route.answers());
    }

    /** The request-service reads a tenant's budget with the service token; changing it stays the operators'. */
    @Test
    void theServiceTokenReadsABudgetButCannotChangeIt() {
        String tenant = "service-reads-" + UUID.randomUUID();
        bearer(ADMIN_TOKEN).contentType("application/json").body("{\"limitMicros\": 7000000}")
                .put("/v1/budgets/{t}", tenant).then().statusCode(200);
        Route put = new Route("PUT", "/v1/budgets/" + tenant, "{\"limitMicros\": 99000000}", 200);
        unauthorized(put.call(bearer(SERVICE_TOKEN)), put);
        Route delete = new Route("DELETE", "/v1/budgets/" + tenant, null, 200);
        unauthorized(delete.call(bearer(SERVICE_TOKEN)), delete);
        bearer(SERVICE_TOKEN).get("/v1/budgets/{t}", tenant).then().statusCode(200)
                .body("tenantId", equalTo(tenant)).body("limitMicros", equalTo(7_000_000));
    }

    /**
     * Every resource method carries a caller annotation, on itself or its class: with the
     * annotations moved to methods, a new method without one would be open to anyone.
     */
    @Test
    void everyRouteNamesItsCaller() {
        for (Class<?> resource : List.of(BudgetResource.class, EstimateResource.class, LedgerResource.class,
                PriceBookResource.class, ReservationResource.class, UsageResource.class)) {
            for (Method method : resource.getDeclaredMethods()) {
                boolean route = Stream.of(method.getAnnotations())
                        .anyMatch(a -> a.annotationType().isAnnotationPresent(HttpMethod.class));
                if (route) {
                    // Class and method annotations both apply: exactly one kind of caller in all.
                    boolean admin = resource.isAnnotationPresent(AdminOnly.class) || method.isAnnotationPresent(AdminOnly.class);
                    boolean service = resource.isAnnotationPresent(ServiceOnly.class) || method.isAnnotationPresent(ServiceOnly.class);
                    org.junit.jupiter.api.Assertions.assertTrue(admin ^ service,
                            resource.getSimpleName() + "." + method.getName() + " must be @AdminOnly or @ServiceOnly (one of them)");
                }
            }
        }
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
