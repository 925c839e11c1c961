package ai.vidgen.storage;

import static ai.vidgen.storage.TestEvents.TENANT;
import static ai.vidgen.storage.TestEvents.completed;
import static ai.vidgen.storage.TestEvents.newGenerationId;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.events.VideoArchived;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Serving archived videos: Range, conditional requests, tenancy, metadata. */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class VideoApiTest {

    private static FakeCdn cdn;
    private static TestEvents events;
    private static byte[] clip;

    @BeforeAll
    static void start() throws IOException {
        cdn = FakeCdn.start();
        events = new TestEvents();
        clip = Files.readAllBytes(TestMedia.clip5s());
    }

    @AfterAll
    static void stop() {
        events.close();
        cdn.close();
    }

    /** Archives the test clip under a fresh generation id. */
    private static VideoArchived archiveClip() {
        Path file = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", file);
        events.publish(completed(id, cdn.url("/" + id + ".mp4"), (long) clip.length));
        return events.awaitOne(id, VideoArchived.class);
    }

    @Test
    void servesTheWholeVideoWithItsValidators() {
        VideoArchived video = archiveClip();

        byte[] body = given().header("X-Tenant-Id", TENANT)
                .when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(200)
                .header("Content-Type", startsWith("video/mp4"))
                .header("Accept-Ranges", "bytes")
                .header("Content-Length", String.valueOf(clip.length))
                .header("ETag", "\"" + video.sha256() + "\"")
                .extract().asByteArray();

        assertArrayEquals(clip, body);
    }

    @Test
    void servesByteRanges() {
        VideoArchived video = archiveClip();
        String id = video.generationId();
        int size = clip.length;

        byte[] first = given().header("X-Tenant-Id", TENANT).header("Range", "bytes=0-99")
                .when().get("/v1/videos/{id}", id)
                .then().statusCode(206)
                .header("Content-Range", "bytes 0-99/" + size)
                .header("Content-Length", "100")
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, 0, 100), first);

        byte[] middle = given().header("X-Tenant-Id", TENANT).header("Range", "bytes=1000-")
                .when().get("/v1/videos/{id}", id)
                .then().statusCode(206)
                .header("Content-Range", "bytes 1000-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, 1000, size), middle);

        byte[] tail = given().header("X-Tenant-Id", TENANT).header("Range", "bytes=-500")
                .when().get("/v1/videos/{id}", id)
                .then().statusCode(206)
                .header("Content-Range", "bytes " + (size - 500) + "-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, size - 500, size), tail);

        // A last byte beyond the end is clamped to the end.
        byte[] clamped = given().header("X-Tenant-Id", TENANT).header("Range", "bytes=" + (size - 10) + "-" + (size + 1000))
                .when().get("/v1/videos/{id}", id)
                .then().statusCode(206)
                .header("Content-Range", "bytes " + (size - 10) + "-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, size - 10, size), clamped);
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheSize() {
        VideoArchived video = archiveClip();

        given().header("X-Tenant-Id", TENANT).header("Range", "bytes=" + clip.length + "-")
                .when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(416)
                .header("Content-Range", "bytes */" + clip.length)
                .header("Content-Type", startsWith("application/problem+json"))
                .body("status", equalTo(416));
    }

    @Test
    void ifRangeWithAnotherValidatorGetsTheWholeVideo() {
        VideoArchived video = archiveClip();

        given().header("X-Tenant-Id", TENANT).header("Range", "bytes=0-99").header("If-Range", "\"stale\"")
                .when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(200)
                .header("Content-Length", String.valueOf(clip.length));

        given().header("X-Tenant-Id", TENANT).header("Range", "bytes=0-99")
                .header("If-Range", "\"" + video.sha256() + "\"")
                .when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(206);

        given().header("X-Tenant-Id", TENANT).header("If-None-Match", "\"" + video.sha256() + "\"")
                .when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(304);
    }

    @Test
    void anotherTenantSeesNothing() {
        VideoArchived video = archiveClip();

        given().header("X-Tenant-Id", "someone-else")
                .when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(404)
                .header("Content-Type", startsWith("application/problem+json"))
                .body("type", equalTo("urn:vidgen:problem:video-not-found"))
                .body("status", equalTo(404));
        given().header("X-Tenant-Id", "someone-else")
                .when().get("/v1/videos/{id}/metadata", video.generationId())
                .then().statusCode(404);
        given().header("X-Tenant-Id", TENANT)
                .when().get("/v1/videos/{id}", newGenerationId())
                .then().statusCode(404);
        given().when().get("/v1/videos/{id}", video.generationId())
                .then().statusCode(400);
    }

    @Test
    void headAnswersTheHeadersOnly() {
        VideoArchived video = archiveClip();

        given().header("X-Tenant-Id", TENANT).header("Range", "bytes=10-19")
                .when().head("/v1/videos/{id}", video.generationId())
                .then().statusCode(206)
                .header("Content-Range", "bytes 10-19/" + clip.length)
                .header("Content-Length", "10");
    }

    @Test
    void metadataDescribesTheVerifiedVideo() {
        VideoArchived video = archiveClip();

        given().header("X-Tenant-Id", TENANT)
                .when().get("/v1/videos/{id}/metadata", video.generationId())
                .then().statusCode(200)
                .body("generationId", equalTo(video.generationId()))
                .body("tenantId", equalTo(TENANT))
                .body("status", equalTo("ARCHIVED"))
                .body("objectKey", equalTo(video.objectKey()))
                .body("bytes", equalTo(clip.length))
                .body("sha256", equalTo(video.sha256()))
                .body("width", equalTo(320))
                .body("height", equalTo(180))
                .body("videoCodec", equalTo("avc1"))
                .body("hasAudio", equalTo(true))
                .body("durationMs", equalTo((int) video.durationMillis()));
        assertEquals(TestMedia.sha256(TestMedia.clip5s()), video.sha256());
    }
}
