package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code request_forgotten}: fal forgets a request as it completes. Its clients then get exactly
 * fal's answers for an unknown id; the admin view still lists it, with what fal billed.
 */
@QuarkusTest
class RequestForgottenTest {

    private static final String INPUT = "{\"prompt\":\"a heron\",\"duration\":\"3\",\"generate_audio\":false}";
    private static final String UNKNOWN_ID = "00000000-0000-0000-0000-000000000000";

    private final FalApi fal = new FalApi("any-key");
    private WebhookReceiver receiver;

    @BeforeEach
    void setUp() throws IOException {
        FalApi.reset();
        receiver = new WebhookReceiver();
    }

    @AfterEach
    void tearDown() {
        receiver.close();
        given().delete("/_emulator/faults").then().statusCode(204);
    }

    @SafeVarargs
    private static void faults(Map<String, Object>... rules) {
        given().contentType(ContentType.JSON).body(List.of(rules)).put("/_emulator/faults").then().statusCode(200);
    }

    @Test
    void aForgottenRequestAnswersLikeAnUnknownIdButStaysListedWithItsCost() {
        faults(Map.of("fault", "request_forgotten", "rate", 1.0));
        JsonPath submitted = fal.authed().contentType(ContentType.JSON).queryParam("fal_webhook", receiver.url())
                .body(INPUT).post("/" + V3_T2V).then().statusCode(200).extract().jsonPath();
        String id = submitted.getString("request_id");
        String root = submitted.getString("response_url");

        // Polled like a client: it runs, and at completion it is gone.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(25))
                .until(() -> fal.status(submitted.getString("status_url")).statusCode() == 404);

        String unknownRoot = root.replace(id, UNKNOWN_ID);
        assertSameAnswer(fal.status(unknownRoot + "/status"), fal.status(root + "/status"));
        assertSameAnswer(fal.authed().get(unknownRoot), fal.authed().get(root));
        assertSameAnswer(fal.authed().put(unknownRoot + "/cancel"), fal.authed().put(root + "/cancel"));
        assertSameAnswer(fal.authed().get(unknownRoot + "/status/stream"), fal.authed().get(root + "/status/stream"));
        fal.status(root + "/status").then().statusCode(404).body("status", equalTo("NOT_FOUND"));

        // The audit still sees it: completed, succeeded, billed as fal billed it.
        JsonPath row = given().get("/_emulator/requests").then().statusCode(200).extract().jsonPath();
        assertEquals(1, row.getList("$").size());
        assertEquals(id, row.getString("[0].request_id"));
        assertTrue(row.getBoolean("[0].forgotten"));
        assertEquals("COMPLETED", row.getString("[0].status"));
        assertEquals("succeeded", row.getString("[0].outcome"));
        assertEquals(3 * row.getLong("[0].price_micros_per_second"), row.getLong("[0].cost_micros"));
        assertTrue(row.getLong("[0].cost_micros") > 0);

        // fal finished it, and sent its webhook, before forgetting it.
        await().atMost(Duration.ofSeconds(10)).until(() -> receiver.deliveries.size() == 1);
        JsonPath hook = new JsonPath(new String(receiver.deliveries.get(0).body(), StandardCharsets.UTF_8));
        assertEquals("OK", hook.getString("status"));
    }

    @Test
    void aForgottenFailureCostsNothingAndOtherRequestsAreNotForgotten() {
        faults(Map.of("fault", "request_forgotten", "rate", 1.0),
                Map.of("fault", "content_policy_violation", "rate", 1.0));
        JsonPath failed = fal.submitted(V3_T2V, INPUT);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(25))
                .until(() -> fal.status(failed.getString("status_url")).statusCode() == 404);
        fal.authed().get(failed.getString("response_url")).then().statusCode(404);

        given().delete("/_emulator/faults").then().statusCode(204);
        JsonPath kept = fal.submitted(V3_T2V, INPUT);
        fal.awaitCompleted(kept.getString("status_url"));
        fal.authed().get(kept.getString("response_url")).then().statusCode(200);

        given().get("/_emulator/requests").then().statusCode(200)
                .body("size()", equalTo(2))
                .body("find { it.request_id == '%s' }.forgotten".formatted(failed.getString("request_id")), equalTo(true))
                .body("find { it.request_id == '%s' }.outcome".formatted(failed.getString("request_id")), equalTo("failed"))
                .body("find { it.request_id == '%s' }.cost_micros".formatted(failed.getString("request_id")), equalTo(0))
                .body("find { it.request_id == '%s' }.forgotten".formatted(kept.getString("request_id")), equalTo(false));
    }

    /** Same status, body and content type, and no {@code x-fal-request-id} where the unknown id has none. */
    private static void assertSameAnswer(Response unknown, Response forgotten) {
        assertEquals(unknown.statusCode(), forgotten.statusCode());
        assertEquals(unknown.asString(), forgotten.asString());
        assertEquals(unknown.contentType(), forgotten.contentType());
        assertEquals(unknown.getHeader("x-fal-request-id") == null, forgotten.getHeader("x-fal-request-id") == null);
    }
}
