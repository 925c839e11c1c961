package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The account limit and cancellation, with one slot and 10 s of inference. */
@QuarkusTest
@TestProfile(SingleSlotProfile.class)
class ConcurrencyAndCancelTest {

    private static final String INPUT = "{\"prompt\":\"p\",\"duration\":\"3\"}";

    private final FalApi fal = new FalApi("any-key");

    @BeforeEach
    void reset() {
        FalApi.reset();
    }

    @Test
    void theSecondRequestQueuesWhileTheFirstRuns() {
        JsonPath first = fal.submitted(V3_T2V, INPUT);
        JsonPath second = fal.submitted(V3_T2V, INPUT);
        assertEquals("IN_QUEUE", first.getString("status"));
        fal.awaitStatus(first.getString("status_url"), "IN_PROGRESS");

        fal.status(second.getString("status_url")).then().statusCode(202)
                .body("status", equalTo("IN_QUEUE"))
                .body("queue_position", equalTo(0));
        fal.status(first.getString("status_url")).then().statusCode(202)
                .body("status", equalTo("IN_PROGRESS"))
                .body("$", not(hasKey("queue_position")))
                .body("logs.size()", equalTo(1));
        given().get("/_emulator/stats").then().body("in_progress", equalTo(1)).body("queued", equalTo(1));

        // The second starts only when the first has finished.
        fal.awaitStatus(second.getString("status_url"), "IN_PROGRESS");
        fal.status(first.getString("status_url")).then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("metrics.inference_time", greaterThanOrEqualTo(9.9f));
        given().get("/_emulator/stats").then()
                .body("peak_in_progress", equalTo(1))
                .body("in_progress", equalTo(1))
                .body("succeeded", equalTo(1));
    }

    @Test
    void queuePositionsCountTheRequestsAhead() {
        JsonPath first = fal.submitted(V3_T2V, INPUT);
        JsonPath second = fal.submitted(V3_T2V, INPUT);
        JsonPath third = fal.submitted(V3_T2V, INPUT);
        assertEquals(0, first.getInt("queue_position"));
        fal.awaitStatus(first.getString("status_url"), "IN_PROGRESS");

        fal.status(second.getString("status_url")).then().body("queue_position", equalTo(0));
        fal.status(third.getString("status_url")).then().body("queue_position", equalTo(1));
        assertEquals(2, fal.submitted(V3_T2V, INPUT).getInt("queue_position"));

        fal.authed().put(second.getString("cancel_url")).then().statusCode(202);
        fal.status(third.getString("status_url")).then().body("queue_position", equalTo(0));
    }

    @Test
    void theResultIsRefusedUntilCompletion() {
        JsonPath running = fal.submitted(V3_T2V, INPUT);
        JsonPath waiting = fal.submitted(V3_T2V, INPUT);
        fal.awaitStatus(running.getString("status_url"), "IN_PROGRESS");
        for (JsonPath request : List.of(running, waiting)) {
            fal.authed().get(request.getString("response_url")).then().statusCode(400)
                    .body("detail", equalTo("Request is still in progress"));
        }
    }

    @Test
    void cancellingAQueuedRequestRemovesItAndThenReportsItCompleted() {
        JsonPath running = fal.submitted(V3_T2V, INPUT);
        JsonPath queued = fal.submitted(V3_T2V, INPUT);
        fal.awaitStatus(running.getString("status_url"), "IN_PROGRESS");

        fal.authed().put(queued.getString("cancel_url")).then().statusCode(202)
                .body("status", equalTo("CANCELLATION_REQUESTED"));
        fal.status(queued.getString("status_url")).then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("error_type", equalTo("client_cancelled"))
                .body("error", equalTo("Request cancelled by the client."));
        fal.authed().get(queued.getString("response_url")).then().statusCode(499)
                .header("X-Fal-Error-Type", "client_cancelled")
                .body("error_type", equalTo("client_cancelled"));
        fal.authed().put(queued.getString("cancel_url")).then().statusCode(400)
                .body("status", equalTo("ALREADY_COMPLETED"));
        given().get("/_emulator/requests").then()
                .body("status", equalTo(List.of("IN_PROGRESS", "COMPLETED")))
                .body("outcome[1]", equalTo("cancelled"))
                .body("started_at[1]", nullValue());
    }

    @Test
    void cancellingARunningRequestFreesTheSlotForTheNext() {
        JsonPath running = fal.submitted(V3_T2V, INPUT);
        JsonPath next = fal.submitted(V3_T2V, INPUT);
        fal.awaitStatus(running.getString("status_url"), "IN_PROGRESS");
        fal.authed().put(running.getString("cancel_url")).then().statusCode(202);
        fal.status(running.getString("status_url")).then().statusCode(200)
                .body("error_type", equalTo("client_cancelled"));
        fal.awaitStatus(next.getString("status_url"), "IN_PROGRESS");
        given().get("/_emulator/stats").then().body("cancelled", equalTo(1)).body("peak_in_progress", equalTo(1));
    }
}
