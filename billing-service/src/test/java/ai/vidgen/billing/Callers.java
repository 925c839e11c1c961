package ai.vidgen.billing;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/**
 * The two kinds of caller billing-service lets in, with the tokens of the {@code %test} profile
 * ({@code vidgen.auth.admin-tokens}, {@code vidgen.auth.service-tokens} in application.properties).
 */
final class Callers {

    static final String ADMIN_TOKEN = "test-admin-token";
    static final String SERVICE_TOKEN = "test-service-token";

    private Callers() {
    }

    /** An operator: budgets, price books, the ledger and corrections, usage. */
    static RequestSpecification asAdmin() {
        return given().header("Authorization", "Bearer " + ADMIN_TOKEN);
    }

    /** The dispatcher or the request-service: estimates, reservations and the tenant reads (budget, ledger, usage). */
    static RequestSpecification asService() {
        return given().header("Authorization", "Bearer " + SERVICE_TOKEN);
    }
}
