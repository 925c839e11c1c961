package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

@QuarkusTest
@TestProfile(StrictProfile.class)
class StrictModeTest {

    private final FalApi fal = new FalApi(StrictProfile.KEY);

    @BeforeEach
    void reset() {
        FalApi.reset();
    }

    @Test
    void onlyTheConfiguredKeyIsAccepted() {
        new FalApi("someone-else").submit(V3_T2V, "{\"prompt\":\"p\"}").then().statusCode(401)
                .body("detail", containsString("Invalid credentials"));
        fal.submit(V3_T2V, "{\"prompt\":\"p\"}").then().statusCode(200);
    }

    @Test
    void invalidInputIsAcceptedAndFailsFromTheResultCall() {
        JsonPath queued = fal.submitted(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"2\"}");
        fal.awaitCompleted(queued.getString("status_url"));
        fal.status(queued.getString("status_url")).then().statusCode(200)
                .body("error_type", equalTo("type_error.enum"))
                .body("error", startsWith("value is not a valid enumeration member"));
        fal.authed().get(queued.getString("response_url")).then().statusCode(422)
                .header("X-Fal-Retryable", "false")
                .body("detail[0].loc", equalTo(List.of("body", "duration")));
        given().get("/_emulator/requests").then().body("outcome[0]", equalTo("failed")).body("seconds[0]", equalTo(null));
    }

    @Test
    void withoutFfmpegTheRequestFailsWithAClearError() {
        JsonPath queued = fal.submitted(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"3\"}");
        fal.awaitCompleted(queued.getString("status_url"));
        fal.status(queued.getString("status_url")).then().statusCode(200)
                .body("error_type", equalTo("internal_error"))
                .body("error", containsString("ffmpeg"));
        fal.authed().get(queued.getString("response_url")).then().statusCode(500)
                .header("X-Fal-Error-Type", "internal_error")
                .body("error_type", equalTo("internal_error"))
                .body("detail", containsString("apt-get install -y ffmpeg"));
        // The queue protocol still works, so the emulator stays ready and says what is missing.
        given().get("/q/health/ready").then().statusCode(200)
                .body("checks[0].data.ffmpeg", startsWith("missing"));
    }
}
