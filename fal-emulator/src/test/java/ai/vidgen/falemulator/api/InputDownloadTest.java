package ai.vidgen.falemulator.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.falemulator.media.Mp4Facts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runner downloads every input URL when a request starts, as fal's does: a refused or
 * unreachable URL fails the request with fal's {@code file_download_error}, and motion control and
 * video-to-video outputs are as long as the downloaded input video, which is also what fal charges
 * for. Test settings: 5 s download deadline, 1 MB size limit.
 */
@QuarkusTest
class InputDownloadTest {

    static final String O3_REMIX = "fal-ai/kling-video/o3/standard/video-to-video/reference";
    static final String O3_EDIT = "fal-ai/kling-video/o3/pro/video-to-video/edit";
    static final String MOTION = "fal-ai/kling-video/v3/standard/motion-control";
    static final String V3_I2V = "fal-ai/kling-video/v3/pro/image-to-video";
    static final String O3_I2V = "fal-ai/kling-video/o3/standard/image-to-video";
    static final String O3_R2V = "fal-ai/kling-video/o3/pro/reference-to-video";

    private static MediaServer storage;
    private final FalApi fal = new FalApi("any-key");

    @TempDir
    Path downloads;

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
        storage.hits.clear();
    }

    @Test
    void aRemixWhoseSignedUrlWorksIsAsLongAsTheInputVideoAndChargedForIt() throws Exception {
        String url = storage.signedVideo(7, MediaServer.GOOD_SIGNATURE);
        JsonPath queued = fal.submitted(O3_REMIX, """
                {"prompt":"as a watercolour","video_url":"%s"}""".formatted(url));
        fal.awaitCompleted(queued.getString("status_url"));

        Mp4Facts output = download(queued);
        assertEquals(7.0, output.durationSeconds(), 0.2, "fal's output follows the input video's length");

        Map<String, Object> row = row(queued.getString("request_id"));
        assertEquals("succeeded", row.get("outcome"));
        assertEquals(7, row.get("seconds"));
        assertEquals(168_000, row.get("price_micros_per_second"), "O3 standard, no audio (seed price)");
        assertEquals(7 * 168_000, row.get("cost_micros"));
        List<Map<String, Object>> fetches = fetches(row);
        assertEquals(1, fetches.size());
        Map<String, Object> fetch = fetches.get(0);
        assertEquals("video_url", fetch.get("field"));
        assertEquals(200, fetch.get("http_status"));
        assertEquals(MediaServer.clip(7).length, ((Number) fetch.get("bytes")).intValue());
        assertEquals(7.0, ((Number) fetch.get("video_seconds")).doubleValue(), 0.05);
        assertNull(fetch.get("error"));
        String shown = (String) fetch.get("url");
        assertTrue(shown.contains("tenant=t-1") && shown.contains("sig=REDACTED") && !shown.contains("sig=good"), shown);

        // fetched once, plainly: no fal key goes to the storage
        List<MediaServer.Hit> hits = storage.hitsOn("/v1/videos/clip-7s");
        assertEquals(1, hits.size());
        assertNull(hits.get(0).authorization());
    }

    @Test
    void aRemixWhoseSignedUrlIsRefusedFailsLikeFal() {
        JsonPath queued = fal.submitted(O3_REMIX, """
                {"prompt":"as a watercolour","video_url":"%s"}""".formatted(storage.signedVideo(3, "expired")));
        fal.awaitCompleted(queued.getString("status_url"));

        fal.status(queued.getString("status_url")).then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("error_type", equalTo("file_download_error"));
        fal.authed().get(queued.getString("response_url")).then().statusCode(422)
                .header("X-Fal-Retryable", "false")
                .body("detail.size()", equalTo(1))
                .body("detail[0].type", equalTo("file_download_error"))
                .body("detail[0].loc", equalTo(List.of("body", "video_url")))
                .body("detail[0].input", containsString("sig=REDACTED"))
                .body("detail[0].input", containsString("/v1/videos/clip-3s"));

        Map<String, Object> row = row(queued.getString("request_id"));
        assertEquals("failed", row.get("outcome"));
        assertEquals("file_download_error", row.get("error_type"));
        assertEquals(0, row.get("cost_micros"), "fal does not charge for a failed request");
        Map<String, Object> fetch = fetches(row).get(0);
        assertEquals(403, fetch.get("http_status"));
        assertEquals("HTTP 403", fetch.get("error"));
    }

    @Test
    void motionControlFollowsTheReferenceVideoWithinItsOrientationLimit() {
        JsonPath fits = fal.submitted(MOTION, """
                {"image_url":"%s","video_url":"%s","character_orientation":"video"}"""
                .formatted(storage.image("dancer"), storage.signedVideo(4, MediaServer.GOOD_SIGNATURE)));
        fal.awaitCompleted(fits.getString("status_url"));
        Map<String, Object> row = row(fits.getString("request_id"));
        assertEquals("succeeded", row.get("outcome"));
        assertEquals(4, row.get("seconds"));
        assertEquals(4 * 168_000, row.get("cost_micros"), "V3 standard, no audio");
        assertEquals(List.of("image_url", "video_url"), fetches(row).stream().map(f -> f.get("field")).toList());

        // 12 s of motion is too long when the character keeps the image's orientation (10 s at most).
        JsonPath tooLong = fal.submitted(MOTION, """
                {"image_url":"%s","video_url":"%s","character_orientation":"image"}"""
                .formatted(storage.image("dancer"), storage.signedVideo(12, MediaServer.GOOD_SIGNATURE)));
        fal.awaitCompleted(tooLong.getString("status_url"));
        fal.authed().get(tooLong.getString("response_url")).then().statusCode(422)
                .header("X-Fal-Retryable", "false")
                .body("detail[0].type", equalTo("video_duration_too_long"))
                .body("detail[0].loc", equalTo(List.of("body", "video_url")))
                .body("detail[0].ctx.max_duration", equalTo(10));

        // A 200 answer that is no video cannot be used either.
        JsonPath notVideo = fal.submitted(O3_EDIT, """
                {"prompt":"p","video_url":"%s/not-a-video"}""".formatted(storage.base()));
        fal.awaitCompleted(notVideo.getString("status_url"));
        fal.authed().get(notVideo.getString("response_url")).then().statusCode(422)
                .body("detail[0].type", equalTo("unsupported_video_format"));
    }

    @Test
    void unreachableSlowMissingAndOversizedInputsFailTheRequest() throws Exception {
        String unreachable = "http://127.0.0.1:" + MediaServer.closedPort() + "/a.png";
        Map<String, String> cases = Map.of(
                unreachable, "cannot connect",
                storage.base() + "/slow", "no complete answer within 5000 ms",
                storage.base() + "/missing.png", "HTTP 404",
                storage.base() + "/big", "larger than the 1048576-byte limit",
                "ftp://example.com/a.png", "not a URL fal can download");
        Map<String, String> idToReason = new java.util.HashMap<>();
        cases.forEach((url, reason) -> idToReason.put(fal.submitted(V3_I2V, """
                {"prompt":"p","start_image_url":"%s"}""".formatted(url)).getString("request_id"), reason));

        for (Map.Entry<String, String> expected : idToReason.entrySet()) {
            fal.awaitCompleted("/fal-ai/kling-video/requests/" + expected.getKey() + "/status");
            fal.authed().get("/fal-ai/kling-video/requests/" + expected.getKey()).then().statusCode(422)
                    .body("detail[0].type", equalTo("file_download_error"))
                    .body("detail[0].loc", equalTo(List.of("body", "start_image_url")));
            String error = (String) fetches(row(expected.getKey())).get(0).get("error");
            assertTrue(error != null && error.contains(expected.getValue()), expected.getValue() + " vs " + error);
        }

        // The first failing input is reported, and the others are still recorded.
        JsonPath endMissing = fal.submitted(V3_I2V, """
                {"prompt":"p","start_image_url":"%s","end_image_url":"%s/gone.png"}"""
                .formatted(storage.image("start"), storage.base()));
        fal.awaitCompleted(endMissing.getString("status_url"));
        fal.authed().get(endMissing.getString("response_url")).then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "end_image_url")));
        List<Map<String, Object>> fetches = fetches(row(endMissing.getString("request_id")));
        assertEquals(List.of(200, 404), fetches.stream().map(f -> f.get("http_status")).toList());
    }

    @Test
    void dataUrisAreDecodedInsteadOfFetched() throws Exception {
        String png = "data:image/png;base64," + Base64.getEncoder().encodeToString(MediaServer.PNG);
        JsonPath image = fal.submitted(O3_I2V, """
                {"prompt":"p","image_url":"%s","duration":"3"}""".formatted(png));
        String video = "data:video/mp4;base64," + Base64.getEncoder().encodeToString(MediaServer.clip(3));
        JsonPath edit = fal.submitted(O3_EDIT, """
                {"prompt":"p","video_url":"%s"}""".formatted(video));
        JsonPath broken = fal.submitted(O3_I2V, """
                {"prompt":"p","image_url":"data:image/png;base64"}""");
        for (JsonPath request : List.of(image, edit, broken)) {
            fal.awaitCompleted(request.getString("status_url"));
        }

        Map<String, Object> fetch = fetches(row(image.getString("request_id"))).get(0);
        assertNull(fetch.get("http_status"), "nothing was fetched over the network");
        assertEquals(MediaServer.PNG.length, fetch.get("bytes"));
        assertEquals("image/png", fetch.get("content_type"));
        assertTrue(((String) fetch.get("url")).startsWith("data:image/png;base64,…"), (String) fetch.get("url"));
        assertEquals("succeeded", row(image.getString("request_id")).get("outcome"));

        Map<String, Object> editRow = row(edit.getString("request_id"));
        assertEquals("succeeded", editRow.get("outcome"));
        assertEquals(3, editRow.get("seconds"), "a video given inline decides the length too");
        assertEquals(3 * 252_000, editRow.get("cost_micros"), "O3 pro, no audio");

        fal.authed().get(broken.getString("response_url")).then().statusCode(422)
                .body("detail[0].type", equalTo("file_download_error"));
        assertTrue(storage.hits.isEmpty(), storage.hits.toString());
    }

    @Test
    void elementAndReferenceImagesAreFetchedInInputOrder() {
        JsonPath queued = fal.submitted(O3_R2V, """
                {"prompt":"@Element1 meets @Element2 in @Image1","image_urls":["%s"],
                 "elements":[{"frontal_image_url":"%s","reference_image_urls":["%s"]},{"video_url":"%s"}]}"""
                .formatted(storage.image("scene"), storage.image("face"), storage.image("side"),
                        storage.signedVideo(3, MediaServer.GOOD_SIGNATURE)));
        fal.awaitCompleted(queued.getString("status_url"));
        Map<String, Object> row = row(queued.getString("request_id"));
        assertEquals("succeeded", row.get("outcome"));
        assertEquals(5, row.get("seconds"), "reference-to-video keeps its requested length");
        assertEquals(List.of("image_urls[0]", "elements[0].frontal_image_url", "elements[0].reference_image_urls[0]",
                "elements[1].video_url"), fetches(row).stream().map(f -> f.get("field")).toList());
        assertEquals(4, storage.hits.size());
    }

    private Map<String, Object> row(String requestId) {
        return given().get("/_emulator/requests").then().statusCode(200).extract().jsonPath()
                .getMap("find { it.request_id == '%s' }".formatted(requestId));
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> fetches(Map<String, Object> row) {
        return (List<Map<String, Object>>) row.get("input_fetches");
    }

    private Mp4Facts download(JsonPath submitted) throws Exception {
        Response result = fal.authed().get(submitted.getString("response_url"));
        result.then().statusCode(200).body("video.content_type", equalTo("video/mp4"));
        Path file = Files.createTempFile(downloads, "out", ".mp4");
        Files.write(file, given().get(result.jsonPath().getString("video.url")).then().statusCode(200)
                .extract().asByteArray());
        return Mp4Facts.read(file);
    }
}
