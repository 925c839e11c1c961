package ai.vidgen.falemulator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.catalog.KlingEndpoint;
import ai.vidgen.events.catalog.ModelFamily;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Every endpoint of the shared Kling catalog is served, with fal's input rules. */
@QuarkusTest
class CatalogEndpointsTest {

    static final String O3_T2I = "fal-ai/kling-image/o3/text-to-image";

    private static MediaServer storage;
    private final FalApi fal = new FalApi("any-key");

    @BeforeAll
    static void startStorage() throws Exception {
        storage = new MediaServer();
    }

    @AfterAll
    static void stopStorage() {
        storage.close();
    }

    @BeforeEach
    void reset() {
        FalApi.reset();
    }

    /** The smallest input fal's schema for the endpoint accepts. */
    private static String minimalInput(KlingEndpoint endpoint) {
        String image = storage.image("frame");
        String video = storage.signedVideo(3, MediaServer.GOOD_SIGNATURE);
        return switch (endpoint.mode()) {
            case TEXT_TO_VIDEO, TEXT_TO_IMAGE -> "{\"prompt\":\"a lighthouse\"}";
            case IMAGE_TO_VIDEO -> "{\"prompt\":\"p\",\"%s\":\"%s\"}".formatted(
                    endpoint.family() == ModelFamily.O3 ? "image_url" : "start_image_url", image);
            case REFERENCE_TO_VIDEO -> "{\"prompt\":\"@Image1 at night\",\"image_urls\":[\"%s\"]}".formatted(image);
            case MOTION_CONTROL -> "{\"image_url\":\"%s\",\"video_url\":\"%s\",\"character_orientation\":\"video\"}"
                    .formatted(image, video);
            case VIDEO_EDIT, VIDEO_REFERENCE -> "{\"prompt\":\"p\",\"video_url\":\"%s\"}".formatted(video);
        };
    }

    @ParameterizedTest
    @EnumSource(KlingEndpoint.class)
    void everyCatalogEndpointRunsToASuccessfulResult(KlingEndpoint endpoint) {
        JsonPath queued = fal.submitted(endpoint.id(), minimalInput(endpoint));
        fal.awaitCompleted(queued.getString("status_url"));
        Map<String, Object> row = given().get("/_emulator/requests").jsonPath().getMap("[0]");
        assertEquals("succeeded", row.get("outcome"), row::toString);
        JsonPath result = fal.authed().get(queued.getString("response_url")).then().statusCode(200)
                .extract().jsonPath();
        String url = endpoint.producesVideo() ? result.getString("video.url") : result.getString("images[0].url");
        given().get(url).then().statusCode(200);
        if (endpoint.outputDecidesDuration()) {
            assertEquals(3, row.get("seconds"), endpoint + " follows its 3 s input video");
        }
    }

    @Test
    void textToImageReturnsStillsOfTheRequestedShapeCountAndFormat() {
        JsonPath queued = fal.submitted(O3_T2I, """
                {"prompt":"a red kite","aspect_ratio":"9:16","num_images":2,"output_format":"jpeg","resolution":"2K"}""");
        fal.awaitCompleted(queued.getString("status_url"));
        JsonPath result = fal.authed().get(queued.getString("response_url")).then().statusCode(200)
                .body("images.size()", equalTo(2))
                .body("images[0].content_type", equalTo("image/jpeg"))
                .body("images[0].width", equalTo(360))
                .body("images[0].height", equalTo(640))
                .body("images[0].url", startsWith(queued.getString("response_url").split("/fal-ai/")[0] + "/media/"))
                .extract().jsonPath();
        byte[] jpeg = given().get(result.getString("images[1].url")).then().statusCode(200)
                .contentType("image/jpeg").extract().asByteArray();
        assertEquals(result.getLong("images[1].file_size"), jpeg.length);
        assertTrue((jpeg[0] & 0xff) == 0xFF && (jpeg[1] & 0xff) == 0xD8, "a JPEG file");

        Map<String, Object> row = given().get("/_emulator/requests").jsonPath().getMap("[0]");
        assertEquals("succeeded", row.get("outcome"));
        assertEquals(null, row.get("seconds"));
        assertEquals(null, row.get("cost_micros"), "fal prices images per image; the seeds give no such price");
        assertEquals(2, ((List<?>) row.get("image_urls")).size());
    }

    @Test
    void textToImageTakesFalsKlingImageParameters() {
        fal.submit(O3_T2I, "{\"aspect_ratio\":\"1:1\"}").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "prompt")))
                .body("detail[0].type", equalTo("value_error.missing"));
        fal.submit(O3_T2I, "{\"prompt\":\"p\",\"num_images\":10}").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "num_images")))
                .body("detail[0].type", equalTo("value_error.number.not_le"));
        fal.submit(O3_T2I, "{\"prompt\":\"p\",\"aspect_ratio\":\"5:4\",\"output_format\":\"gif\"}").then().statusCode(422)
                .body("detail.loc", equalTo(List.of(List.of("body", "aspect_ratio"), List.of("body", "output_format"))));
        // Video parameters are unknown fields here, and ignored as fal's schema ignores them.
        fal.submit(O3_T2I, "{\"prompt\":\"p\",\"duration\":\"99\",\"aspect_ratio\":\"21:9\"}").then().statusCode(200);
    }

    @Test
    void promptAndMultiPromptTogetherAreRefusedLikeFal() {
        for (String endpoint : List.of(FalApi.V3_T2V, FalApi.O3_T2V)) {
            fal.submit(endpoint, """
                    {"prompt":"one take","multi_prompt":[{"prompt":"wide","duration":"3"}]}""").then().statusCode(422)
                    .body("detail.size()", equalTo(1))
                    .body("detail[0].loc", equalTo(List.of("body", "root")))
                    .body("detail[0].type", equalTo("value_error"));
        }
        given().get("/_emulator/stats").then().body("total_submissions", equalTo(0));
    }
}
