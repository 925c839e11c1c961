package ai.vidgen.storage;

import static ai.vidgen.storage.TestEvents.completed;
import static ai.vidgen.storage.TestEvents.newGenerationId;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.storage.s3.S3Server;
import ai.vidgen.testsupport.infra.FreePorts;
import ai.vidgen.testsupport.infra.KafkaBroker;
import ai.vidgen.testsupport.infra.PostgresServer;
import ai.vidgen.testsupport.infra.QuarkusApp;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A 300 MB MP4 archived by the packaged service ({@code target/quarkus-app}) running with its heap
 * capped at 128 MB, once into the file system and once into S3 (s3proxy, 16 MiB multipart parts):
 * the download, the hashing, the MP4 inspection and the upload all stream, or this fails with an
 * OutOfMemoryError. Real Kafka and PostgreSQL from test-support; a JDK HTTP server plays fal's CDN.
 */
class LargeVideoIT {

    private static final long SIZE = 300L * 1024 * 1024;
    private static final long MAX_HEAP = 128L * 1024 * 1024;
    private static final Path MODULE = Path.of("").toAbsolutePath();
    private static final Path LOGS = MODULE.resolve("target/it-logs");

    private static PostgresServer postgres;
    private static KafkaBroker kafka;
    private static S3Server s3;
    private static FakeCdn cdn;
    private static TestEvents events;
    private static Path video;

    @BeforeAll
    static void start() throws IOException {
        video = largeMp4(TestMedia.clip5s(), MODULE.resolve("target/test-media/large-300mb.mp4"), SIZE);
        postgres = PostgresServer.startThrowaway();
        postgres.ensureDatabase("vidgen_storage");
        kafka = KafkaBroker.startThrowaway(1);
        s3 = S3Server.start();
        cdn = FakeCdn.start();
        events = new TestEvents(kafka.bootstrapServers());
    }

    @AfterAll
    static void stop() throws IOException {
        for (AutoCloseable c : new AutoCloseable[] {events, cdn, s3, kafka, postgres}) {
            try {
                if (c != null) {
                    c.close();
                }
            } catch (Exception ignored) {
                // best effort
            }
        }
        if (video != null) {
            Files.deleteIfExists(video);
        }
    }

    @Test
    void a300MbVideoIsArchivedToTheFileSystemWith128MbOfHeap() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("STORAGE_OBJECT_STORE", "filesystem");
        env.put("STORAGE_FILESYSTEM_ROOT", MODULE.resolve("target/it-videos").toString());
        archiveWithSmallHeap("storage-fs", env);
    }

    @Test
    void a300MbVideoIsArchivedToS3InPartsWith128MbOfHeap() throws Exception {
        Map<String, String> env = new HashMap<>();
        env.put("STORAGE_OBJECT_STORE", "s3");
        env.put("STORAGE_S3_ENDPOINT", s3.endpoint());
        env.put("STORAGE_S3_PATH_STYLE_ACCESS", "true");
        env.put("STORAGE_S3_BUCKET", "vidgen-it");
        env.put("STORAGE_S3_ACCESS_KEY_ID", S3Server.ACCESS_KEY);
        env.put("STORAGE_S3_SECRET_ACCESS_KEY", S3Server.SECRET_KEY);
        env.put("STORAGE_S3_CREATE_BUCKET", "true");
        env.put("STORAGE_DOWNLOAD_WORK_DIR", MODULE.resolve("target/it-work").toString());
        archiveWithSmallHeap("storage-s3", env);
    }

    private void archiveWithSmallHeap(String name, Map<String, String> storeEnv) throws Exception {
        Map<String, String> env = new HashMap<>(storeEnv);
        env.put("KAFKA_BOOTSTRAP_SERVERS", kafka.bootstrapServers());
        env.put("QUARKUS_DATASOURCE_REACTIVE_URL", postgres.reactiveUrl("vidgen_storage"));
        env.put("QUARKUS_DATASOURCE_JDBC_URL", postgres.jdbcUrl("vidgen_storage"));
        env.put("QUARKUS_DATASOURCE_USERNAME", postgres.user());
        env.put("QUARKUS_DATASOURCE_PASSWORD", postgres.password());
        env.put("STORAGE_DOWNLOAD_ALLOWED_HOSTS", "127.0.0.1");
        // The key request-service signs video links with; the test signs its own.
        env.put("VIDGEN_URL_SIGNING_KEYS", Links.KEY);
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", video);

        try (QuarkusApp app = QuarkusApp.start(name, MODULE, FreePorts.allocate(), env, LOGS, "128m")) {
            long started = System.nanoTime();
            events.publish(completed(id, cdn.url("/" + id + ".mp4"), SIZE));
            GenerationEvent answer = events.await(ai.vidgen.events.Topics.GENERATION_EVENTS, id, 1,
                    r -> TestEvents.decode(r.value()) instanceof VideoArchived
                            || TestEvents.decode(r.value()) instanceof ArchiveFailed, Duration.ofSeconds(90))
                    .stream().map(r -> TestEvents.decode(r.value()))
                    .filter(e -> e instanceof VideoArchived || e instanceof ArchiveFailed).findFirst().orElseThrow();
            double seconds = (System.nanoTime() - started) / 1e9;
            assertTrue(answer instanceof VideoArchived, () -> "expected VideoArchived, got " + answer
                    + (answer instanceof ArchiveFailed f ? " " + f.reason() + ": " + f.message() : "")
                    + "\n" + app.process().tail(40));
            VideoArchived archived = (VideoArchived) answer;
            assertEquals(SIZE, archived.bytes());
            assertEquals(TestMedia.sha256(video), archived.sha256());
            assertTrue(Math.abs(archived.durationMillis() - 5000) <= 100, "duration " + archived.durationMillis());
            System.out.printf("[%s] archived %d bytes in %.1f s with -Xmx128m%n", name, SIZE, seconds);

            // The cap was real: the service's own metrics report a heap of at most 128 MB.
            String metrics = new String(get(app.baseUrl() + "/q/metrics", null).body(), java.nio.charset.StandardCharsets.UTF_8);
            assertTrue(heapMax(metrics) <= MAX_HEAP, "heap max " + heapMax(metrics));
            assertTrue(app.process().isAlive());
            assertTrue(!app.process().logContains("OutOfMemoryError"));

            // Range requests against the running packaged service (following a redirect to S3).
            long offset = SIZE - 1000;
            byte[] expected = new byte[100];
            try (RandomAccessFile file = new RandomAccessFile(video.toFile(), "r")) {
                file.seek(offset);
                file.readFully(expected);
            }
            String link = app.baseUrl() + "/v1/videos/" + id + "?" + Links.video(id);
            HttpResponse<byte[]> ranged = get(link, "bytes=" + offset + "-" + (offset + 99));
            assertEquals(206, ranged.statusCode());
            assertArrayEquals(expected, ranged.body());
            HttpResponse<byte[]> head = get(link, "bytes=0-15");
            assertEquals(403, get(app.baseUrl() + "/v1/videos/" + id, "bytes=0-15").statusCode(), "unsigned");
            assertArrayEquals(Arrays.copyOf(Files.readAllBytes(TestMedia.clip5s()), 16), head.body());
        }
    }

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(5)).build();

    /** GET of a signed link following redirects with the same Range header (the JDK client keeps the request's headers). */
    private static HttpResponse<byte[]> get(String url, String range) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
        if (range != null) {
            request.header("Range", range);
        }
        HttpResponse<byte[]> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        return response;
    }

    private static long heapMax(String metrics) {
        Matcher m = Pattern.compile("(?m)^jvm_memory_max_bytes\\{[^}]*area=\"heap\"[^}]*\\} (\\S+)$").matcher(metrics);
        long total = 0;
        while (m.find()) {
            double v = Double.parseDouble(m.group(1));
            if (v > 0) {
                total += (long) v;
            }
        }
        assertTrue(total > 0, "no heap metrics");
        return total;
    }

    /**
     * A valid MP4 of exactly {@code size} bytes: the faststart clip ({@code ftyp}, {@code moov},
     * {@code mdat} last) whose {@code mdat} is grown with zero bytes after its samples. The sample
     * offsets stay valid, so it parses and plays as the 5 s clip. Written sparsely: cheap on disk.
     */
    static Path largeMp4(Path clip, Path out, long size) throws IOException {
        byte[] bytes = Files.readAllBytes(clip);
        int mdat = -1;
        for (int pos = 0; pos + 8 <= bytes.length; ) {
            long boxSize = ByteBuffer.wrap(bytes, pos, 4).getInt() & 0xffffffffL;
            String type = new String(bytes, pos + 4, 4, java.nio.charset.StandardCharsets.US_ASCII);
            if (type.equals("mdat")) {
                mdat = pos;
            }
            if (boxSize < 8) {
                break;
            }
            pos += (int) boxSize;
        }
        if (mdat < 0 || mdat + (ByteBuffer.wrap(bytes, mdat, 4).getInt() & 0xffffffffL) != bytes.length) {
            throw new IllegalStateException("the clip must end with its mdat box (faststart)");
        }
        long grownMdat = size - mdat;
        ByteBuffer.wrap(bytes, mdat, 4).putInt((int) grownMdat);
        Files.createDirectories(out.getParent());
        try (FileChannel channel = FileChannel.open(out, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            channel.write(ByteBuffer.wrap(bytes));
            channel.write(ByteBuffer.wrap(new byte[] {0}), size - 1);
        }
        return out;
    }
}
