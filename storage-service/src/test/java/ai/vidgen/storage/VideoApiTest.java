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
import ai.vidgen.platform.auth.SignedUrls;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Serving archived videos: signed links only (no header names a tenant), Range, conditional
 * requests, metadata.
 */
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

    /** The video's URL with a link signed for its tenant, as request-service hands it out. */
    private static String link(String id) {
        return link(id, "");
    }

    private static String link(String id, String suffix) {
        return "/v1/videos/" + id + suffix + "?" + Links.video(id);
    }

    @Test
    void servesTheWholeVideoWithItsValidators() {
        VideoArchived video = archiveClip();

        byte[] body = given()
                .when().get(link(video.generationId()))
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

        byte[] first = given().header("Range", "bytes=0-99")
                .when().get(link(id))
                .then().statusCode(206)
                .header("Content-Range", "bytes 0-99/" + size)
                .header("Content-Length", "100")
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, 0, 100), first);

        byte[] middle = given().header("Range", "bytes=1000-")
                .when().get(link(id))
                .then().statusCode(206)
                .header("Content-Range", "bytes 1000-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, 1000, size), middle);

        byte[] tail = given().header("Range", "bytes=-500")
                .when().get(link(id))
                .then().statusCode(206)
                .header("Content-Range", "bytes " + (size - 500) + "-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, size - 500, size), tail);

        // A last byte beyond the end is clamped to the end.
        byte[] clamped = given().header("Range", "bytes=" + (size - 10) + "-" + (size + 1000))
                .when().get(link(id))
                .then().statusCode(206)
                .header("Content-Range", "bytes " + (size - 10) + "-" + (size - 1) + "/" + size)
                .extract().asByteArray();
        assertArrayEquals(Arrays.copyOfRange(clip, size - 10, size), clamped);
    }

    @Test
    void anUnsatisfiableRangeIs416WithTheSize() {
        VideoArchived video = archiveClip();

        given().header("Range", "bytes=" + clip.length + "-")
                .when().get(link(video.generationId()))
                .then().statusCode(416)
                .header("Content-Range", "bytes */" + clip.length)
                .header("Content-Type", startsWith("application/problem+json"))
                .body("status", equalTo(416));
    }

    @Test
    void ifRangeWithAnotherValidatorGetsTheWholeVideo() {
        VideoArchived video = archiveClip();

        given().header("Range", "bytes=0-99").header("If-Range", "\"stale\"")
                .when().get(link(video.generationId()))
                .then().statusCode(200)
                .header("Content-Length", String.valueOf(clip.length));

        given().header("Range", "bytes=0-99")
                .header("If-Range", "\"" + video.sha256() + "\"")
                .when().get(link(video.generationId()))
                .then().statusCode(206);

        given().header("If-None-Match", "\"" + video.sha256() + "\"")
                .when().get(link(video.generationId()))
                .then().statusCode(304);
    }

    @Test
    void theTenantHeaderOpensNothing() {
        VideoArchived video = archiveClip();
        String id = video.generationId();

        // What used to be enough: the owner's tenant id in a header anyone can write.
        for (String suffix : List.of("", "/metadata", "/poster")) {
            assertForbidden(given().header("X-Tenant-Id", TENANT).when().get("/v1/videos/" + id + suffix));
        }
        assertEquals(403, given().header("X-Tenant-Id", TENANT).when().head("/v1/videos/" + id).statusCode());
        assertForbidden(given().when().get("/v1/videos/" + id));
    }

    @Test
    void expiredAlteredOrForeignSignaturesAre403() {
        VideoArchived video = archiveClip();
        String id = video.generationId();
        String path = "/v1/videos/" + id + "?";
        SignedUrls.Signature good = Links.URLS.sign(TENANT, SignedUrls.video(id), Duration.ofHours(1));
        SignedUrls.Signature expired = Links.URLS.sign(TENANT, SignedUrls.video(id), Instant.now().minusSeconds(1));
        String flipped = (good.sig().charAt(0) == 'A' ? "B" : "A") + good.sig().substring(1);
        SignedUrls otherKey = new SignedUrls(List.of("test-k2:another-secret-0123456789"), Clock.systemUTC());

        assertForbidden(given().when().get(path + expired.query()));
        assertForbidden(given().when().get(path + new SignedUrls.Signature(TENANT, good.expires(), "test-k2", good.sig()).query()));
        assertForbidden(given().when().get(path + new SignedUrls.Signature(TENANT, good.expires(), good.keyId(), flipped).query()));
        assertForbidden(given().when().get(path + new SignedUrls.Signature(TENANT, good.expires() + 3600, good.keyId(),
                good.sig()).query()));
        assertForbidden(given().when().get(path + otherKey.sign(TENANT, SignedUrls.video(id), Duration.ofHours(1)).query()));
        // The signature of another video of the same tenant, and one signed for another tenant.
        assertForbidden(given().when().get(path + Links.video(newGenerationId())));
        assertForbidden(given().when().get(path + new SignedUrls.Signature("someone-else", good.expires(), good.keyId(),
                good.sig()).query()));
        assertForbidden(given().when().get(path + Links.video(id, "someone-else")));
        assertForbidden(given().when().get("/v1/videos/" + id + "/metadata?" + Links.video(id, "someone-else")));

        // The real link still works, with the Range a player sends.
        given().header("Range", "bytes=0-9").when().get(path + good.query()).then().statusCode(206)
                .header("Content-Range", "bytes 0-9/" + clip.length);
    }

    @Test
    void anUnknownVideoLooksExactlyLikeAForbiddenOne() {
        VideoArchived video = archiveClip();
        String known = video.generationId();
        String unknown = newGenerationId();

        JsonPath forKnown = assertForbidden(given().when().get("/v1/videos/" + known + "?" + Links.video(unknown)));
        JsonPath forUnknown = assertForbidden(given().when().get("/v1/videos/" + unknown + "?" + Links.video(known)));
        JsonPath unsignedUnknown = assertForbidden(given().when().get("/v1/videos/" + unknown));
        Map<String, Object> body = withoutInstance(forKnown);
        assertEquals(body, withoutInstance(forUnknown));
        assertEquals(body, withoutInstance(unsignedUnknown));
        assertEquals("/v1/videos/" + unknown, forUnknown.getString("instance"));
        // A valid link to a video that is not archived says so: only its holder can ask.
        given().when().get(link(unknown)).then().statusCode(404)
                .body("type", equalTo("urn:vidgen:problem:video-not-found"));
    }

    private static JsonPath assertForbidden(io.restassured.response.Response response) {
        response.then().statusCode(403)
                .header("Content-Type", startsWith("application/problem+json"))
                .body("type", equalTo("urn:vidgen:problem:forbidden"))
                .body("status", equalTo(403));
        return response.jsonPath();
    }

    private static Map<String, Object> withoutInstance(JsonPath problem) {
        Map<String, Object> body = new HashMap<>(problem.getMap(""));
        body.remove("instance");
        return body;
    }

    @Test
    void headAnswersTheHeadersOnly() {
        VideoArchived video = archiveClip();

        given().header("Range", "bytes=10-19")
                .when().head(link(video.generationId()))
                .then().statusCode(206)
                .header("Content-Range", "bytes 10-19/" + clip.length)
                .header("Content-Length", "10");
    }

    @Test
    void metadataDescribesTheVerifiedVideo() {
        VideoArchived video = archiveClip();

        given()
                .when().get(link(video.generationId(), "/metadata"))
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
