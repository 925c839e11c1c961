package ai.vidgen.dispatcher.support;

import static io.restassured.RestAssured.given;

import io.restassured.specification.RequestSpecification;

/** The tests' bearer tokens ({@code %test.vidgen.auth.*} in application.properties). */
public final class TestTokens {

    /** An operator's token: {@code /v1/queue} needs it. */
    public static final String ADMIN = "test-admin-token";

    /** The platform's service token: this service sends it to billing, the billing stub wants it. */
    public static final String SERVICE = "test-service-token";

    private TestTokens() {
    }

    /** A request as an operator ({@code Authorization: Bearer <admin token>}). */
    public static RequestSpecification asOperator() {
        return given().header("Authorization", "Bearer " + ADMIN);
    }
}
