package ai.vidgen.falemulator.api;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** A tiny fal client for the tests, following the URLs the emulator hands out as fal's clients do. */
final class FalApi {

    static final String V3_T2V = "fal-ai/kling-video/v3/standard/text-to-video";
    static final String O3_T2V = "fal-ai/kling-video/o3/standard/text-to-video";

    private final String key;

    FalApi(String key) {
        this.key = key;
    }

    RequestSpecification authed() {
        return given().header("Authorization", "Key " + key);
    }

    Response submit(String endpoint, String body) {
        return authed().contentType(ContentType.JSON).body(body).post("/" + endpoint);
    }

    /** Submits and returns the 200 body. */
    JsonPath submitted(String endpoint, String body) {
        return submit(endpoint, body).then().statusCode(200).extract().jsonPath();
    }

    Response status(String statusUrl) {
        return authed().get(statusUrl + "?logs=1");
    }

    String statusOf(String statusUrl) {
        return status(statusUrl).jsonPath().getString("status");
    }

    /** Polls like fal's clients until COMPLETED; returns every status seen, in order. */
    List<String> awaitCompleted(String statusUrl) {
        List<String> seen = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(25)).until(() -> {
            Response response = status(statusUrl);
            String status = response.jsonPath().getString("status");
            int expectedCode = "COMPLETED".equals(status) ? 200 : 202;
            if (response.statusCode() != expectedCode) {
                throw new AssertionError("status " + status + " came with HTTP " + response.statusCode());
            }
            if (seen.isEmpty() || !seen.get(seen.size() - 1).equals(status)) {
                seen.add(status);
            }
            return "COMPLETED".equals(status);
        });
        return seen;
    }

    private static final List<String> ORDER = List.of("IN_QUEUE", "IN_PROGRESS", "COMPLETED");

    /** Waits for a status; fails at once if the request moves past it, rather than timing out. */
    void awaitStatus(String statusUrl, String wanted) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20)).until(() -> {
            String status = statusOf(statusUrl);
            if (ORDER.indexOf(status) > ORDER.indexOf(wanted)) {
                throw new AssertionError("awaited " + wanted + " but the request is already " + status);
            }
            return wanted.equals(status);
        });
    }

    static void reset() {
        given().delete("/_emulator/requests").then().statusCode(204);
    }
}
