package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.hamcrest.Matchers.equalTo;

import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The faults of the calls after submit (status, result, cancel, status stream): fal's rate limiter,
 * its ingress, and an answer held past the client's timeout (test profile: held 2 s).
 */
@QuarkusTest
class RouteFaultsTest {

    private static final String INPUT = "{\"prompt\":\"a lantern\",\"duration\":\"3\",\"generate_audio\":false}";

    private final FalApi fal = new FalApi("any-key");
    private final HttpClient http = HttpClient.newHttpClient();

    @BeforeEach
    void setUp() {
        FalApi.reset();
        given().delete("/_emulator/faults").then().statusCode(204);
    }

    @AfterEach
    void tearDown() {
        given().delete("/_emulator/faults").then().statusCode(204);
    }

    private static void fault(String fault, double rate) {
        given().contentType(ContentType.JSON).body(List.of(Map.of("fault", fault, "rate", rate)))
                .put("/_emulator/faults").then().statusCode(200).body("[0].fault", equalTo(fault));
    }

    private static void lift() {
        given().delete("/_emulator/faults").then().statusCode(204);
    }

    @Test
    void rateLimitedCallsGet429WhileTheRequestRunsOn() {
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        String root = submitted.getString("response_url");
        fault("route_rate_limited", 1.0);
        for (var call : List.of(fal.status(root + "/status"), fal.authed().get(root), fal.authed().put(root + "/cancel"),
                fal.authed().get(root + "/status/stream"))) {
            assertEquals(429, call.statusCode(), call::asString);
            assertTrue(call.contentType().startsWith("application/json"), call.contentType());
            assertTrue(call.jsonPath().getString("detail").contains("rate limit"), call.asString());
            assertEquals(null, call.getHeader("x-fal-request-id"), "the limiter answers before the queue");
        }
        lift();
        // The refused cancel did not cancel: the request completes and succeeds.
        fal.awaitCompleted(submitted.getString("status_url"));
        fal.authed().get(root).then().statusCode(200);
    }

    @Test
    void serverErrorsAreNginxPagesWithoutARequestId() {
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        String root = submitted.getString("response_url");
        fault("route_server_error", 1.0);
        for (var call : List.of(fal.status(root + "/status"), fal.authed().get(root), fal.authed().put(root + "/cancel"),
                fal.authed().get(root + "/status/stream"))) {
            assertEquals(500, call.statusCode(), call::asString);
            assertTrue(call.contentType().startsWith("text/html"), call.contentType());
            assertTrue(call.asString().contains("nginx"), call.asString());
            assertEquals(null, call.getHeader("x-fal-request-id"));
        }
        lift();
        fal.awaitCompleted(submitted.getString("status_url"));
        fal.authed().get(root).then().statusCode(200);
    }

    @Test
    void eachCallRollsOnItsOwn() {
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        fault("route_rate_limited", 0.5);
        Set<Integer> codes = new HashSet<>();
        for (int i = 0; i < 40 && codes.size() < 2; i++) {
            codes.add(fal.status(submitted.getString("status_url")).statusCode() == 429 ? 429 : 0);
        }
        assertEquals(Set.of(0, 429), codes, "some polls limited, some answered");
    }

    @Test
    void aTimedOutCallIsAnsweredOnlyAfterTheClientGaveUp() throws Exception {
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        String root = submitted.getString("response_url");
        fal.awaitCompleted(submitted.getString("status_url"));
        fault("route_timeout", 1.0);
        // A client waiting 500 ms gets nothing, on every route.
        for (String path : List.of(root + "/status", root, root + "/status/stream")) {
            assertThrows(HttpTimeoutException.class, () -> http.send(get(path, Duration.ofMillis(500)),
                    HttpResponse.BodyHandlers.ofString()), path);
        }
        // One that waits longer than the hold gets the normal answer, late.
        long began = System.nanoTime();
        HttpResponse<String> status = http.send(get(root + "/status", Duration.ofSeconds(20)),
                HttpResponse.BodyHandlers.ofString());
        long tookMillis = (System.nanoTime() - began) / 1_000_000;
        assertEquals(200, status.statusCode());
        assertTrue(status.body().contains("\"COMPLETED\""), status.body());
        assertTrue(tookMillis >= 1_900, "held " + tookMillis + " ms");
    }

    @Test
    void aTimedOutCancelStillCancels() {
        fault("queue_stalled", 1.0);
        JsonPath submitted = fal.submitted(V3_T2V, INPUT);
        String root = submitted.getString("response_url");
        given().contentType(ContentType.JSON).body(List.of(Map.of("fault", "queue_stalled", "rate", 1.0),
                Map.of("fault", "route_timeout", "rate", 1.0))).put("/_emulator/faults").then().statusCode(200);
        HttpRequest cancel = HttpRequest.newBuilder(URI.create(root + "/cancel")).timeout(Duration.ofMillis(500))
                .header("Authorization", "Key any").PUT(HttpRequest.BodyPublishers.noBody()).build();
        assertThrows(HttpTimeoutException.class, () -> http.send(cancel, HttpResponse.BodyHandlers.ofString()));
        lift();
        fal.status(root + "/status").then().statusCode(200).body("error_type", equalTo("client_cancelled"));
        fal.authed().get(root).then().statusCode(499);
    }

    private static HttpRequest get(String url, Duration timeout) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(timeout).header("Authorization", "Key any").GET().build();
    }
}
