package ai.vidgen.request.api;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.request.support.BillingStub;
import ai.vidgen.request.support.EventLog;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import java.io.BufferedReader;
import java.io.File;
import java.io.InputStreamReader;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The official {@code openai} npm SDK's videos resource against /v1/videos: create, retrieve,
 * list, downloadContent, remix, delete. The lifecycle events that complete the video are produced
 * here, playing the other services; BillingStub plays storage-service's GET /v1/videos/{id}.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(BillingStub.class)
class OpenAiSdkVideosTest {

    static final File JS = new File("src/test/js");

    private static EventLog kafka;

    @TestHTTPResource("/")
    URL base;

    @BeforeAll
    static void open() {
        kafka = EventLog.open();
    }

    @AfterAll
    static void close() {
        kafka.close();
    }

    @Test
    void theOpenAiSdkDrivesTheWholeVideoLifecycle() throws Exception {
        String tenant = "sdk-" + UUID.randomUUID();
        String key = TenantIsolationTest.newKey(tenant);
        npmCiIfNeeded();
        String baseUrl = base.toString().replaceAll("/$", "");
        Process node = new ProcessBuilder("node", "openai-videos.mjs", baseUrl, key).directory(JS)
                .redirectErrorStream(true).start();
        List<String> output = new ArrayList<>();
        String id = null;
        String content = null;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(node.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = out.readLine()) != null; ) {
                output.add(line);
                if (line.startsWith("CREATED ")) {
                    id = line.substring(8).trim();
                    complete(id, tenant);
                } else if (line.startsWith("CONTENT ")) {
                    content = line.substring(8).trim();
                }
            }
        }
        assertTrue(node.waitFor(90, TimeUnit.SECONDS), "node did not finish");
        assertEquals(0, node.exitValue(), () -> String.join("\n", output));
        assertTrue(output.contains("OK"), () -> String.join("\n", output));
        assertNotNull(id);
        byte[] expected = BillingStub.videoBytes(id);
        assertEquals(expected.length + " " + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(expected)),
                content);

        // The SDK never sends Range; a client may. (The video was deleted by the script: use another.)
        String other = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"kling-v3\",\"prompt\":\"range\"}").post("/v1/videos").then().statusCode(200)
                .extract().path("id");
        complete(other, tenant);
        org.awaitility.Awaitility.await().atMost(EventLog.WAIT).untilAsserted(() -> given()
                .header("Authorization", "Bearer " + key).get("/v1/videos/{id}", other).then()
                .body("status", equalTo("completed")));
        io.restassured.response.Response partial = given().header("Authorization", "Bearer " + key)
                .header("Range", "bytes=10-19").get("/v1/videos/{id}/content", other);
        assertEquals(206, partial.statusCode());
        assertEquals("bytes 10-19/" + BillingStub.videoBytes(other).length, partial.header("Content-Range"));
        assertTrue(Arrays.equals(Arrays.copyOfRange(BillingStub.videoBytes(other), 10, 20), partial.asByteArray()));
        // Another tenant: 404, for the video and its content.
        String stranger = TenantIsolationTest.newKey("sdk-" + UUID.randomUUID());
        given().header("Authorization", "Bearer " + stranger).get("/v1/videos/{id}/content", other).then().statusCode(404);
        given().header("Authorization", "Bearer " + stranger).get("/v1/videos/{id}", other).then().statusCode(404);
    }

    @Test
    void nIsEmulatedWithParallelGenerationsAndSizesMapToTheNearestRatio() {
        String key = TenantIsolationTest.newKey("n-" + UUID.randomUUID());
        var created = given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"kling-o3\",\"mode\":\"pro\",\"prompt\":\"tall\",\"size\":\"1000x1900\",\"n\":3,"
                        + "\"duration\":8,\"input_reference\":\"https://example.com/a.png\"}")
                .post("/v1/videos").then().statusCode(200)
                .body("endpoint_id", equalTo("fal-ai/kling-video/o3/pro/image-to-video"))
                .body("size", equalTo("1080x1920")).body("seconds", equalTo("8"))
                .body("video_ids.size()", equalTo(3)).extract().jsonPath();
        for (String id : created.getList("video_ids", String.class)) {
            given().header("Authorization", "Bearer " + key).get("/v1/generations/{id}", id).then().statusCode(200)
                    .body("input.image_url", equalTo("https://example.com/a.png"))
                    .body("input.aspect_ratio", equalTo("9:16")).body("input.duration", equalTo("8"));
        }
        given().header("Authorization", "Bearer " + key).contentType(ContentType.JSON)
                .body("{\"model\":\"sora-2\",\"n\":9,\"size\":\"big\",\"seconds\":\"40\",\"prompt\":\"x\"}")
                .post("/v1/videos").then().statusCode(400)
                .body("errors.pointer", org.hamcrest.Matchers.hasItems("/model", "/n", "/size", "/seconds"));
    }

    @org.junit.jupiter.api.Test
    void anInputReferenceOnALoopbackHostIsRefusedUnderItsOwnName() {
        given().header("X-Tenant-Id", "oai-" + java.util.UUID.randomUUID()).contentType(ContentType.JSON)
                .body("{\"model\":\"kling-o3\",\"prompt\":\"x\",\"input_reference\":\"https://localhost/a.png\"}")
                .post("/v1/videos").then().statusCode(400)
                .body("errors[0].pointer", equalTo("/input_reference"))
                .body("errors[0].detail", org.hamcrest.Matchers.containsString("resolves to 127.0.0.1, a loopback address"));
    }

    private static void complete(String id, String tenant) {
        GenerationRequested requested = (GenerationRequested) kafka.decode(
                kafka.await(id, "ai.vidgen.generation.requested")).data();
        kafka.publish(
                new GenerationDispatched(id, tenant, requested.spec(), requested.input(), 1, "normal"),
                new GenerationSubmitted(id, tenant, 1, "fal-" + id),
                new GenerationProgress(id, tenant, 1, "IN_PROGRESS", null, List.of("rendering")),
                new GenerationCompleted(id, tenant, requested.spec(), 1, "fal-" + id, "https://v3.fal.media/files/x/out.mp4",
                        "video/mp4", 100_003L, 61_000L),
                new GenerationBilled(id, tenant, 840_000, 168_000, 5, "V3", "STANDARD", false, false, "2026-02"),
                new VideoArchived(id, tenant, tenant + "/" + id + ".mp4", "file:///videos/" + id + ".mp4", "video/mp4",
                        100_003, "00", 5_000, 1280, 720, false));
    }

    private static void npmCiIfNeeded() throws Exception {
        if (new File(JS, "node_modules/openai").isDirectory()) {
            return;
        }
        // Never inheritIO: npm would share the test JVM's stdin, which is surefire's command
        // channel, and switch it to non-blocking ("std/in stream corrupted" kills the fork).
        File log = new File("target/npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--no-audit", "--no-fund").directory(JS)
                .redirectErrorStream(true).redirectOutput(log).start();
        npm.getOutputStream().close();
        assertTrue(npm.waitFor(120, TimeUnit.SECONDS), "npm ci did not finish; see " + log.getAbsolutePath());
        assertEquals(0, npm.exitValue(), () -> "npm ci failed:\n" + readQuietly(log));
    }

    private static String readQuietly(File file) {
        try {
            return java.nio.file.Files.readString(file.toPath());
        } catch (java.io.IOException e) {
            return "(no log: " + e.getMessage() + ")";
        }
    }
}
