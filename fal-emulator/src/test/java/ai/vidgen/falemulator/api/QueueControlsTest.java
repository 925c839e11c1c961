package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Queue priority, fal_max_queue_length and X-Fal-Request-Timeout, with one slot and 5 s inference. */
@QuarkusTest
@TestProfile(SingleSlotProfile.class)
class QueueControlsTest {

    private static final String INPUT = "{\"prompt\":\"p\",\"duration\":\"3\",\"generate_audio\":false}";
    private final FalApi fal = new FalApi("any-key");

    @BeforeEach
    void reset() {
        FalApi.reset();
    }

    @AfterEach
    void cancelAll() {
        given().get("/_emulator/requests").jsonPath().getList("request_id", String.class)
                .forEach(id -> fal.authed().put("/fal-ai/kling-video/requests/" + id + "/cancel"));
    }

    private JsonPath submit(String priority) {
        return fal.authed().contentType(ContentType.JSON).header("X-Fal-Queue-Priority", priority).body(INPUT)
                .post("/" + V3_T2V).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void lowPriorityWaitsBehindEveryNormalRequest() {
        JsonPath running = submit("normal");
        fal.awaitStatus(running.getString("status_url"), "IN_PROGRESS");
        JsonPath low = submit("low");
        JsonPath normal = submit("normal");
        fal.status(normal.getString("status_url")).then().statusCode(202).body("queue_position", equalTo(0));
        fal.status(low.getString("status_url")).then().statusCode(202).body("queue_position", equalTo(1));
        fal.authed().put(running.getString("cancel_url")).then().statusCode(202);
        fal.awaitStatus(normal.getString("status_url"), "IN_PROGRESS");
        assertEquals("IN_QUEUE", fal.statusOf(low.getString("status_url")));
    }

    @Test
    void maxQueueLengthRejectsWith429() {
        JsonPath running = submit("normal");
        fal.awaitStatus(running.getString("status_url"), "IN_PROGRESS");
        submit("normal");
        fal.authed().contentType(ContentType.JSON).queryParam("fal_max_queue_length", 1).body(INPUT)
                .post("/" + V3_T2V).then().statusCode(429);
        fal.authed().contentType(ContentType.JSON).queryParam("fal_max_queue_length", 2).body(INPUT)
                .post("/" + V3_T2V).then().statusCode(200);
    }

    @Test
    void aRequestNotStartedWithinItsTimeoutFailsWith504User() {
        JsonPath running = submit("normal");
        fal.awaitStatus(running.getString("status_url"), "IN_PROGRESS");
        JsonPath late = fal.authed().contentType(ContentType.JSON).header("X-Fal-Request-Timeout", "0.5").body(INPUT)
                .post("/" + V3_T2V).then().statusCode(200).extract().jsonPath();
        fal.awaitCompleted(late.getString("status_url"));
        fal.status(late.getString("status_url")).then().body("error_type", equalTo("request_timeout"));
        fal.authed().get(late.getString("response_url")).then().statusCode(504)
                .header("X-Fal-Request-Timeout-Type", "user");
        assertEquals("IN_PROGRESS", fal.statusOf(running.getString("status_url")));
    }
}
