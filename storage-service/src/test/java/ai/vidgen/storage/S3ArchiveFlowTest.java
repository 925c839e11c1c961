package ai.vidgen.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.VideoArchived;
import ai.vidgen.storage.objectstore.ObjectStore;
import ai.vidgen.storage.objectstore.S3ObjectStore;
import ai.vidgen.storage.s3.S3Resource;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link ArchiveSuite} against the S3 object store on a real S3-compatible server (s3proxy in a
 * child JVM, see {@link S3Resource}), plus what only the S3 store does: multipart uploads and
 * presigned GETs.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
@WithTestResource(S3Resource.class)
class S3ArchiveFlowTest extends ArchiveSuite {

    private static final String BUCKET = "vidgen-test-videos";

    @Override
    void assertStoredCopy(VideoArchived archived, Path clip) throws IOException {
        assertEquals("s3://" + BUCKET + "/" + archived.objectKey(), archived.location());
        // s3proxy's file-system backend keeps the object as a file: the bytes really are on the server.
        Path onServer = S3Resource.current().dataDir().resolve(BUCKET).resolve(archived.objectKey());
        assertTrue(Files.isRegularFile(onServer), onServer.toString());
        assertEquals(TestMedia.sha256(clip), TestMedia.sha256(onServer));
    }

    @Override
    long filesNamed(String name) throws IOException {
        try (Stream<Path> files = Files.walk(S3Resource.current().dataDir())) {
            return files.filter(p -> p.getFileName().toString().equals(name)).count();
        }
    }

    @Test
    void largeFilesGoUpInPartsAndReadBackByRange() throws Exception {
        assertTrue(store instanceof S3ObjectStore, store.getClass().getName());
        byte[] data = new byte[12 * 1024 * 1024 + 123]; // three 5 MiB parts
        new Random(5).nextBytes(data);
        Path file = Files.createTempFile("s3-multipart-", ".bin");
        Files.write(file, data);
        String key = "store-test/" + TestEvents.newGenerationId() + ".bin";

        ObjectStore.StoredObject stored = store.put(key, file, "application/octet-stream");
        Files.deleteIfExists(file);

        assertEquals(data.length, stored.bytes());
        assertEquals(data.length, store.size(key).orElseThrow());
        try (InputStream in = store.openRange(key, 5 * 1024 * 1024 - 10, 20)) {
            assertArrayEquals(Arrays.copyOfRange(data, 5 * 1024 * 1024 - 10, 5 * 1024 * 1024 + 10), in.readAllBytes());
        }

        URI presigned = store.presignedGet(key, Duration.ofMinutes(1)).orElseThrow();
        HttpResponse<byte[]> ranged = HttpClient.newHttpClient().send(HttpRequest.newBuilder(presigned)
                .header("Range", "bytes=100-199").build(), HttpResponse.BodyHandlers.ofByteArray());
        assertEquals(206, ranged.statusCode());
        assertArrayEquals(Arrays.copyOfRange(data, 100, 200), ranged.body());

        assertTrue(store.delete(key));
        assertFalse(store.delete(key));
        assertTrue(store.size(key).isEmpty());
    }

    @Test
    void theApiRedirectsToAShortLivedPresignedUrl() throws Exception {
        Path clip = TestMedia.clip5s();
        String id = TestEvents.newGenerationId();
        cdn().serveFile("/" + id + ".mp4", clip);
        events().publish(TestEvents.completed(id, cdn().url("/" + id + ".mp4"), Files.size(clip)));
        events().awaitOne(id, VideoArchived.class);

        String location = io.restassured.RestAssured.given()
                .redirects().follow(false)
                .when().get("/v1/videos/" + id + "?" + Links.video(id))
                .then().statusCode(307)
                .header("Cache-Control", "no-store")
                .extract().header("Location");
        assertTrue(location.startsWith(S3Resource.current().endpoint() + "/" + BUCKET + "/"), location);
        assertTrue(location.contains("X-Amz-Expires="), location);
    }
}
