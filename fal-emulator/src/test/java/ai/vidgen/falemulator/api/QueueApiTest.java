package ai.vidgen.falemulator.api;

import static ai.vidgen.falemulator.api.FalApi.O3_T2V;
import static ai.vidgen.falemulator.api.FalApi.V3_T2V;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.anEmptyMap;
import static org.hamcrest.Matchers.anyOf;
import static org.hamcrest.Matchers.emptyOrNullString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.greaterThanOrEqualTo;
import static org.hamcrest.Matchers.hasKey;
import static org.hamcrest.Matchers.instanceOf;
import static org.hamcrest.Matchers.is;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.notNullValue;
import static org.hamcrest.Matchers.nullValue;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.falemulator.media.Mp4Facts;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The queue protocol end to end, with the default test settings (2 slots, 300 ms inference). */
@QuarkusTest
class QueueApiTest {

    private final FalApi fal = new FalApi("any-key");

    @TempDir
    Path downloads;

    @BeforeEach
    void reset() {
        FalApi.reset();
    }

    @Test
    void aSubmissionRunsToCompletionAndYieldsARealMp4() throws Exception {
        Response submit = fal.submit(V3_T2V, """
                {"prompt":"a lighthouse at dusk","duration":"4","aspect_ratio":"9:16"}""");
        submit.then().statusCode(200)
                .body("status", equalTo("IN_QUEUE"))
                .body("queue_position", equalTo(0))
                .body("$", hasKey("logs"))
                .body("logs", nullValue())
                .body("$", not(hasKey("gateway_request_id")));
        JsonPath queued = submit.jsonPath();
        String id = queued.getString("request_id");
        UUID.fromString(id);
        assertEquals(id, submit.header("x-fal-request-id"));
        String appRoot = queued.getString("response_url");
        assertTrue(appRoot.endsWith("/fal-ai/kling-video/requests/" + id), appRoot);
        assertEquals(appRoot + "/status", queued.getString("status_url"));
        assertEquals(appRoot + "/cancel", queued.getString("cancel_url"));

        // Only the order is checked here: a cold JVM may poll past a 300 ms state. The
        // single-slot tests, with long states, observe each one.
        List<String> seen = fal.awaitCompleted(queued.getString("status_url"));
        assertEquals("COMPLETED", seen.get(seen.size() - 1));
        assertEquals(seen.stream().sorted(java.util.Comparator.comparing(List.of("IN_QUEUE", "IN_PROGRESS", "COMPLETED")::indexOf)).toList(),
                seen, "statuses only move forward");

        fal.status(queued.getString("status_url")).then().statusCode(200)
                .body("status", equalTo("COMPLETED"))
                .body("response_url", equalTo(appRoot))
                .body("logs", instanceOf(List.class))
                .body("logs[0].message", notNullValue())
                .body("logs[0].labels.level", equalTo("INFO"))
                .body("metrics.inference_time", greaterThanOrEqualTo(0.25f))
                .body("$", not(hasKey("error")))
                .body("$", not(hasKey("error_type")));

        Response result = fal.authed().get(appRoot);
        result.then().statusCode(200)
                .header("x-fal-request-id", id)
                .body("video.content_type", equalTo("video/mp4"))
                .body("video.file_name", equalTo("output.mp4"))
                .body("video.url", startsWith(appRoot.substring(0, appRoot.indexOf("/fal-ai/")) + "/media/"));
        String url = result.jsonPath().getString("video.url");
        long size = result.jsonPath().getLong("video.file_size");

        // Output media is public, as on fal's CDN: no key.
        Response download = given().get(url);
        download.then().statusCode(200).contentType("video/mp4").header("Content-Length", String.valueOf(size));
        Path file = downloads.resolve("out.mp4");
        Files.write(file, download.asByteArray());
        assertEquals(size, Files.size(file));

        Mp4Facts mp4 = Mp4Facts.read(file);
        assertEquals(4.0, mp4.durationSeconds(), 0.2);
        assertEquals(180, mp4.width());
        assertEquals(320, mp4.height());
        assertTrue(mp4.hasAudio(), "V3 generates audio by default");
        assertTrue(mp4.moovBeforeMdat(), "faststart");
    }

    @Test
    void multiShotLengthIsTheSumOfTheShotsAndTheEndpointDecidesTheAudioDefault() throws Exception {
        JsonPath o3 = fal.submitted(O3_T2V, """
                {"multi_prompt":[{"prompt":"wide","duration":"3"},{"prompt":"close","duration":"4"}],
                 "aspect_ratio":"1:1","voice_ids":["voice-1"]}""");
        JsonPath v3Silent = fal.submitted(V3_T2V, """
                {"prompt":"p","duration":"3","generate_audio":false}""");

        Mp4Facts multiShot = download(o3);
        assertEquals(7.0, multiShot.durationSeconds(), 0.2);
        assertEquals(240, multiShot.width());
        assertEquals(240, multiShot.height());
        assertFalse(multiShot.hasAudio(), "O3 is silent unless asked");

        Mp4Facts silent = download(v3Silent);
        assertEquals(3.0, silent.durationSeconds(), 0.2);
        assertEquals(320, silent.width());
        assertEquals(180, silent.height());
        assertFalse(silent.hasAudio());

        Map<String, Object> o3Row = given().get("/_emulator/requests").jsonPath()
                .getMap("find { it.request_id == '%s' }".formatted(o3.getString("request_id")));
        assertEquals(7, o3Row.get("seconds"));
        assertEquals(false, o3Row.get("audio"));
        assertEquals(true, o3Row.get("voice_control"));
        assertEquals("1:1", o3Row.get("aspect_ratio"));
        assertEquals(O3_T2V, o3Row.get("endpoint"));
        assertEquals("succeeded", o3Row.get("outcome"));
        assertEquals(268_000, o3Row.get("price_micros_per_second"), "O3 standard with voice control (seed price)");
        assertEquals(7 * 268_000, o3Row.get("cost_micros"));
        assertEquals(List.of(), o3Row.get("input_fetches"), "a text-to-video input has nothing to download");
    }

    private Mp4Facts download(JsonPath submitted) throws Exception {
        fal.awaitCompleted(submitted.getString("status_url"));
        String url = fal.authed().get(submitted.getString("response_url")).then().statusCode(200)
                .extract().jsonPath().getString("video.url");
        Path file = Files.createTempFile(downloads, "clip", ".mp4");
        Files.write(file, given().get(url).then().statusCode(200).extract().asByteArray());
        return Mp4Facts.read(file);
    }

    @Test
    void statusResultAndCancelAnswerOnTheAppRootTheFullPathAndTheResponseSuffix() {
        JsonPath queued = fal.submitted(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"3\"}");
        String id = queued.getString("request_id");
        fal.awaitCompleted(queued.getString("status_url"));

        String full = "/" + V3_T2V + "/requests/" + id;
        String root = "/fal-ai/kling-video/requests/" + id;
        for (String base : List.of(root, full)) {
            fal.authed().get(base + "/status").then().statusCode(200).body("status", equalTo("COMPLETED"));
            fal.authed().get(base).then().statusCode(200).body("video.url", notNullValue());
            fal.authed().get(base + "/response").then().statusCode(200).body("video.url", notNullValue());
            fal.authed().put(base + "/cancel").then().statusCode(400).body("status", equalTo("ALREADY_COMPLETED"));
        }
        // The id does not exist under another app or another endpoint.
        fal.authed().get("/fal-ai/bytedance/requests/" + id + "/status").then().statusCode(404)
                .body("status", equalTo("NOT_FOUND"));
        fal.authed().get("/fal-ai/kling-video/v3/pro/text-to-video/requests/" + id).then().statusCode(404);
        fal.authed().get("/fal-ai/kling-video/requests/" + id + "/logs").then().statusCode(404);
        fal.authed().get(root + "/cancel").then().statusCode(405);
        // The SSE stream of a completed request: one COMPLETED event, then the stream ends.
        String stream = fal.authed().get(root + "/status/stream").then().statusCode(200)
                .contentType(startsWith("text/event-stream")).extract().asString();
        assertTrue(stream.startsWith("data: {\"status\":\"COMPLETED\""), stream);
        assertTrue(stream.endsWith("\n\n"), stream);
        fal.authed().get("/fal-ai/kling-video/v3/standard/text-to-video/requests/" + id + "/status/stream").then()
                .statusCode(200);
        given().get(root + "/status/stream").then().statusCode(401);
        fal.authed().get("/fal-ai/kling-video/requests/00000000-0000-0000-0000-000000000000/status/stream").then()
                .statusCode(404).body("status", equalTo("NOT_FOUND"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1", "true", "0", "false", ""})
    void statusAcceptsEveryLogsSpelling(String logs) {
        JsonPath queued = fal.submitted(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"3\"}");
        fal.awaitCompleted(queued.getString("status_url"));
        String url = queued.getString("status_url") + (logs.isEmpty() ? "" : "?logs=" + logs);
        Response status = fal.authed().get(url);
        status.then().statusCode(200).body("$", hasKey("logs"));
        boolean wanted = logs.equals("1") || logs.equals("true");
        assertEquals(wanted, status.jsonPath().get("logs") != null, status.asString());
    }

    @Test
    void unknownIdsAreNotFound() {
        String missing = "/fal-ai/kling-video/requests/" + UUID.randomUUID();
        fal.authed().get(missing + "/status").then().statusCode(404).body("status", equalTo("NOT_FOUND"));
        fal.authed().put(missing + "/cancel").then().statusCode(404).body("status", equalTo("NOT_FOUND"));
        fal.authed().get(missing).then().statusCode(404).body("detail", not(emptyOrNullString()));
    }

    @Test
    void everyFalCallNeedsAKey() {
        given().contentType("application/json").body("{\"prompt\":\"p\"}").post("/" + V3_T2V)
                .then().statusCode(401).body("detail", not(emptyOrNullString()));
        given().header("Authorization", "Bearer token").contentType("application/json").body("{\"prompt\":\"p\"}")
                .post("/" + V3_T2V).then().statusCode(401);
        given().header("Authorization", "Key   ").contentType("application/json").body("{\"prompt\":\"p\"}")
                .post("/" + V3_T2V).then().statusCode(401);
        given().get("/fal-ai/kling-video/requests/" + UUID.randomUUID() + "/status").then().statusCode(401);
        given().put("/fal-ai/kling-video/requests/" + UUID.randomUUID() + "/cancel").then().statusCode(401);
        given().get("/_emulator/stats").then().statusCode(200).body("total_submissions", equalTo(0));
    }

    @Test
    void invalidInputIsRejectedWithPydanticShapedDetail() {
        fal.submit(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"20\"}").then().statusCode(422)
                .body("detail.size()", is(1))
                .body("detail[0].loc", equalTo(List.of("body", "duration")))
                .body("detail[0].msg", not(emptyOrNullString()))
                .body("detail[0].type", equalTo("type_error.enum"));
        fal.submit(O3_T2V, "{\"duration\":\"5\"}").then().statusCode(422)
                .body("detail[0].loc", equalTo(List.of("body", "root")))
                .body("detail[0].msg", equalTo("Either 'prompt' or 'multi_prompt' must be provided."));
        fal.submit(V3_T2V, "{\"prompt\":").then().statusCode(422)
                .body("detail[0].type", equalTo("value_error.jsondecode"));
        given().get("/_emulator/stats").then().body("total_submissions", equalTo(0));
    }

    @Test
    void unknownEndpointsAreNotFound() {
        fal.submit("fal-ai/kling-video/v9/ultra/text-to-video", "{\"prompt\":\"p\"}").then().statusCode(404);
        fal.submit("fal-ai/kling-video/v3/ultra", "{\"prompt\":\"p\"}").then().statusCode(404);
    }

    @Test
    void aWebhookSubmissionCarriesAGatewayIdAndIsRemembered() {
        Response submit = fal.authed().contentType("application/json").body("{\"prompt\":\"p\",\"duration\":\"3\"}")
                .queryParam("fal_webhook", "http://127.0.0.1:9/hooks/fal?x=1")
                .post("/" + V3_T2V);
        submit.then().statusCode(200);
        String id = submit.jsonPath().getString("request_id");
        assertEquals(id, submit.jsonPath().getString("gateway_request_id"));
        given().get("/_emulator/requests").then()
                .body("find { it.request_id == '%s' }.webhook_url".formatted(id), equalTo("http://127.0.0.1:9/hooks/fal?x=1"));
    }

    @Test
    void theTraceContextOfEachCallIsRecordedAndTheSubmitsIsShown() {
        String submitTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01";
        String pollTrace = "00-4bf92f3577b34da6a3ce929d0e0e4736-b7ad6b7169203331-01";
        Response submit = fal.authed().header("traceparent", submitTrace).contentType("application/json")
                .body("{\"prompt\":\"traced\",\"duration\":\"3\"}").post("/" + V3_T2V);
        submit.then().statusCode(200);
        String id = submit.jsonPath().getString("request_id");
        String statusUrl = submit.jsonPath().getString("status_url");
        fal.authed().header("traceparent", pollTrace).get(statusUrl).then().statusCode(anyOf(is(200), is(202)));
        String untraced = fal.submitted(V3_T2V, "{\"prompt\":\"untraced\",\"duration\":\"3\"}").getString("request_id");

        JsonPath rows = given().get("/_emulator/requests").then().statusCode(200).extract().jsonPath();
        String traced = "find { it.request_id == '%s' }".formatted(id);
        assertEquals(submitTrace, rows.getString(traced + ".traceparent"));
        assertEquals(Map.of("submit", submitTrace, "status", pollTrace), rows.getMap(traced + ".traceparents"));
        assertEquals(null, rows.getString("find { it.request_id == '%s' }.traceparent".formatted(untraced)));
        assertEquals(Map.of(), rows.getMap("find { it.request_id == '%s' }.traceparents".formatted(untraced)));
    }

    @Test
    void theAdminViewCountsDuplicatesAndResets() {
        String duplicate = "{\"prompt\":\"same\",\"duration\":\"3\"}";
        JsonPath first = fal.submitted(V3_T2V, duplicate);
        JsonPath second = fal.submitted(V3_T2V, "{ \"prompt\" : \"same\", \"duration\" : \"3\" }");
        JsonPath other = fal.submitted(V3_T2V, "{\"prompt\":\"other\",\"duration\":\"3\"}");
        for (JsonPath request : List.of(first, second, other)) {
            fal.awaitCompleted(request.getString("status_url"));
        }

        JsonPath rows = given().get("/_emulator/requests").then().statusCode(200).extract().jsonPath();
        assertEquals(3, rows.getList("$").size());
        assertEquals(List.of(2, 2, 1), rows.getList("submissions"));
        assertEquals(List.of(3, 3, 3), rows.getList("seconds"));
        assertEquals(List.of(true, true, true), rows.getList("audio"));
        assertEquals(List.of(false, false, false), rows.getList("voice_control"));
        assertEquals(List.of(3 * 224_000, 3 * 224_000, 3 * 224_000), rows.getList("cost_micros"), "V3 standard with audio");
        assertTrue(rows.getList("started_at").stream().allMatch(t -> t != null));
        given().get("/_emulator/requests?status=COMPLETED").then().body("size()", is(3));
        given().get("/_emulator/requests?status=IN_QUEUE").then().body("size()", is(0));

        given().get("/_emulator/stats").then().statusCode(200)
                .body("total_submissions", equalTo(3))
                .body("succeeded", equalTo(3))
                .body("queued", equalTo(0))
                .body("in_progress", equalTo(0))
                .body("concurrency", equalTo(2));

        FalApi.reset();
        given().get("/_emulator/requests").then().body("size()", is(0));
        given().get("/_emulator/stats").then().body("total_submissions", equalTo(0));
        fal.authed().get(first.getString("status_url")).then().statusCode(404);
    }

    @Test
    void mediaIsServedWithRangesAndUnknownFilesAreNotFound() {
        JsonPath queued = fal.submitted(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"3\",\"aspect_ratio\":\"1:1\"}");
        fal.awaitCompleted(queued.getString("status_url"));
        JsonPath video = fal.authed().get(queued.getString("response_url")).jsonPath();
        long size = video.getLong("video.file_size");

        given().header("Range", "bytes=0-99").get(video.getString("video.url")).then()
                .statusCode(206)
                .header("Content-Range", "bytes 0-99/" + size)
                .header("Content-Length", "100");
        given().get("/media/kling-99s-1x1-audio.mp4").then().statusCode(404);
        given().get("/media/").then().statusCode(404);
    }

    @Test
    void halfWrittenClipsUnderHiddenNamesAreNeverServed() throws Exception {
        java.nio.file.Path dir = java.nio.file.Path.of("target/.emulator-test/media");
        java.nio.file.Files.createDirectories(dir);
        java.nio.file.Files.writeString(dir.resolve(".kling-5s-partial.mp4"), "half a clip");
        given().get("/media/.kling-5s-partial.mp4").then().statusCode(404);
        given().get("/media/%2Ekling-5s-partial.mp4").then().statusCode(404);
    }

    @Test
    void healthIsUp() {
        given().get("/q/health/ready").then().statusCode(200)
                .body("status", equalTo("UP"))
                .body("checks[0].data.ffmpeg", startsWith("ffmpeg version"));
        given().get("/q/health/live").then().statusCode(200);
    }

    @Test
    void statusBodiesCarryTheKeysFalsClientsRequire() {
        JsonPath queued = fal.submitted(V3_T2V, "{\"prompt\":\"p\",\"duration\":\"3\"}");
        fal.awaitCompleted(queued.getString("status_url"));
        fal.authed().get(queued.getString("status_url")).then().statusCode(200)
                .body("$", hasKey("logs"))
                .body("metrics", not(anEmptyMap()))
                .body("request_id", equalTo(queued.getString("request_id")));
    }
}
