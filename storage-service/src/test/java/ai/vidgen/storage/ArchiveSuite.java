package ai.vidgen.storage;

import static ai.vidgen.storage.TestEvents.TENANT;
import static ai.vidgen.storage.TestEvents.completed;
import static ai.vidgen.storage.TestEvents.newGenerationId;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.Topics;
import ai.vidgen.events.VideoArchived;
import jakarta.inject.Inject;
import ai.vidgen.storage.messaging.GenerationEventsConsumer;
import ai.vidgen.storage.objectstore.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.vertx.VertxContextSupport;
import ai.vidgen.storage.objectstore.WorkDirectory;
import ai.vidgen.storage.retention.RetentionService;
import java.io.IOException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive end to end: a real broker, a real PostgreSQL, real MP4s, and a fake CDN in place of
 * fal's. Each test uses its own generation id and its own CDN path. The same suite runs against
 * each object store: {@link ArchiveFlowTest} (file system) and {@link S3ArchiveFlowTest} (s3proxy).
 */
abstract class ArchiveSuite {

    private static FakeCdn cdn;
    private static FakeCdn forbidden;
    private static TestEvents events;

    @Inject
    DataSource dataSource;

    @Inject
    ObjectStore store;

    @Inject
    WorkDirectory workDirectory;

    @Inject
    GenerationEventsConsumer consumer;

    @Inject
    MeterRegistry registry;

    @ConfigProperty(name = "storage.archive.max-attempts")
    int maxAttempts;

    static FakeCdn cdn() {
        return cdn;
    }

    static TestEvents events() {
        return events;
    }

    @BeforeAll
    static void start() {
        cdn = FakeCdn.start();
        forbidden = FakeCdn.startDisallowed();
        events = new TestEvents();
    }

    @AfterAll
    static void stop() {
        events.close();
        cdn.close();
        forbidden.close();
    }

    @Test
    void archivesAGoodClipAndReportsWhatItMeasured() throws IOException {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip)));
        VideoArchived archived = events.awaitOne(id, VideoArchived.class);

        assertEquals(id, archived.generationId());
        assertEquals(TENANT, archived.tenantId());
        assertTrue(Math.abs(archived.durationMillis() - 5000) <= 100, "duration " + archived.durationMillis());
        assertEquals(320, archived.width());
        assertEquals(180, archived.height());
        assertTrue(archived.hasAudio());
        assertEquals("video/mp4", archived.contentType());
        assertEquals(Files.size(clip), archived.bytes());
        assertEquals(TestMedia.sha256(clip), archived.sha256());
        assertTrue(archived.objectKey().matches(TENANT + "/\\d{4}/\\d{2}/\\d{2}/" + id + "\\.mp4"), archived.objectKey());

        assertEquals(store.location(archived.objectKey()).toString(), archived.location());
        assertStoredCopy(archived, clip);
        assertEquals(Files.size(clip), store.size(archived.objectKey()).orElseThrow());
        try (InputStream in = store.openRange(archived.objectKey(), 0, Files.size(clip))) {
            assertArrayEquals(Files.readAllBytes(clip), in.readAllBytes());
        }
        assertEquals("avc1", row(id, "video_codec"));
        assertEquals("ARCHIVED", row(id, "status"));
    }

    @Test
    void aRedeliveredCompletionIsNeitherArchivedNorAnsweredASecondTime() throws IOException {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);
        var event = completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip));

        events.publish(event);
        events.awaitOne(id, VideoArchived.class);
        String workBefore = work(id);
        redeliver(event);

        assertEquals(workBefore, work(id), "the work item is untouched: nothing to archive or publish again");
        assertEquals(1, events.allUpToNow(id, VideoArchived.class).size(), "VideoArchived published once");
        assertEquals(1, cdn.hits("/" + id + ".mp4"), "downloaded once");
        assertEquals(1, count("select count(*) from videos where generation_id = ?", id));
        assertEquals(1, count("select count(*) from archive_work where generation_id = ?", id));
        assertEquals(1, filesNamed(id + ".mp4"), "one object");
    }

    @Test
    void aTransferCutOffMidwayIsRetriedThenReportedAndNothingIsStored() throws IOException {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveCutOff("/" + id + ".mp4", clip, (int) Files.size(clip) / 2);

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip)));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("truncated", failed.reason());
        assertEquals(maxAttempts, cdn.hits("/" + id + ".mp4"), "every attempt downloaded again");
        assertNothingStored(id);
        assertEquals("FAILED", row(id, "status"));
    }

    @Test
    void aSizeOtherThanFalAnnouncedIsReportedAsAMismatch() throws IOException {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip) + 1000));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("size_mismatch", failed.reason());
        assertNothingStored(id);
    }

    @Test
    void aVideoLargerThanTheLimitIsRefusedWithoutDownloadingItOrRetrying() throws IOException {
        String id = newGenerationId();
        // Five GiB announced, past the 4 GiB default limit: refuse on the headers alone.
        cdn.serveAnnouncing("/" + id + ".mp4", 5L * 1024 * 1024 * 1024);

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), null));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("too_large", failed.reason());
        assertEquals(1, cdn.hits("/" + id + ".mp4"), "a video too large stays too large: no retry");
        assertNothingStored(id);
    }

    @Test
    void anMp4CutShortButDeliveredCompletelyIsCaughtByItsStructure() throws IOException {
        byte[] whole = Files.readAllBytes(TestMedia.clip5s());
        String id = newGenerationId();
        // The CDN serves a shortened file with a matching Content-Length, and fal announced no size.
        cdn.serveBytes("/" + id + ".mp4", Arrays.copyOf(whole, whole.length * 2 / 3));

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), null));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("truncated", failed.reason());
        assertNothingStored(id);
    }

    @Test
    void bytesThatAreNoMp4AreReportedAndNeverArchived() throws IOException {
        byte[] garbage = new byte[50_000];
        new Random(42).nextBytes(garbage);
        String id = newGenerationId();
        cdn.serveBytes("/" + id + ".mp4", garbage);

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), (long) garbage.length));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("not_mp4", failed.reason());
        assertEquals(maxAttempts, cdn.hits("/" + id + ".mp4"));
        assertNothingStored(id);

        // Redelivered: answered already, so neither another round of downloads nor a second answer.
        redeliver(completed(id, cdn.url("/" + id + ".mp4"), (long) garbage.length));
        assertEquals(List.of(failed), events.allUpToNow(id, ArchiveFailed.class));
        assertEquals(maxAttempts, cdn.hits("/" + id + ".mp4"));
        assertEquals("FAILED", work(id).split(" ")[0]);
    }

    @Test
    void metricsShowWhatWasArchivedAndWhyArchivesFailed() throws IOException {
        Path clip = TestMedia.clip5s();
        String good = newGenerationId();
        cdn.serveFile("/" + good + ".mp4", clip);
        events.publish(completed(good, cdn.url("/" + good + ".mp4"), Files.size(clip)));
        events.awaitOne(good, VideoArchived.class);
        String bad = newGenerationId();
        events.publish(completed(bad, forbidden.url("/" + bad + ".mp4"), null));
        events.awaitOne(bad, ArchiveFailed.class);

        String metrics = given().when().get("/q/metrics").then().statusCode(200).extract().asString();

        assertTrue(metrics.contains("vidgen_storage_archived_bytes_total"), "bytes archived");
        assertTrue(metrics.contains("vidgen_storage_archive_duration_seconds_count{outcome=\"archived\"}"), "timer");
        assertTrue(metrics.contains("vidgen_storage_archive_failures_total{reason=\"host_not_allowed\"}"), "failures");
        given().when().get("/q/health/ready").then().statusCode(200);
    }

    @Test
    void aHostNotAllowedIsNeverContacted() throws IOException {
        String id = newGenerationId();
        forbidden.serveFile("/" + id + ".mp4", TestMedia.clip5s());
        int before = forbidden.totalHits();

        events.publish(completed(id, forbidden.url("/" + id + ".mp4"), null));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("host_not_allowed", failed.reason());
        assertEquals(before, forbidden.totalHits(), "no request to the host");
        assertNothingStored(id);
    }

    @Test
    void anAllowedHostOverPlainHttpIsRefused() {
        String id = newGenerationId();

        events.publish(completed(id, "http://v3b.fal.media/files/" + id + ".mp4", null));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("insecure_url", failed.reason());
    }

    @Test
    void aRedirectToAHostNotAllowedIsNotFollowed() {
        String id = newGenerationId();
        forbidden.serveBytes("/" + id + ".mp4", new byte[10]);
        cdn.redirect("/" + id + ".mp4", forbidden.url("/" + id + ".mp4"));
        int before = forbidden.totalHits();

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), null));
        ArchiveFailed failed = events.awaitOne(id, ArchiveFailed.class);

        assertEquals("redirect_not_allowed", failed.reason());
        assertEquals(before, forbidden.totalHits(), "no request to the redirect target");
    }

    @Test
    void aRedirectWithinTheAllowedHostsIsFollowed() throws IOException {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.redirect("/" + id + ".mp4", "/media/" + id + ".mp4");
        cdn.serveFile("/media/" + id + ".mp4", clip);

        events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip)));
        VideoArchived archived = events.awaitOne(id, VideoArchived.class);

        assertEquals(TestMedia.sha256(clip), archived.sha256());
    }

    @Test
    void anUndecodableRecordGoesToTheDeadLetterTopicAndTheConsumerMovesOn() throws IOException {
        String bad = newGenerationId();
        events.publishRaw(bad, "{not a cloud event");

        var dead = events.await(Topics.DEAD_LETTERS, bad, 1, r -> true);
        String reason = new String(dead.get(0).headers().lastHeader("dead-letter-reason").value(), StandardCharsets.UTF_8);
        assertTrue(reason.contains("not a JSON CloudEvent"), reason);

        // Still consuming: other events are ignored, the next completion is archived.
        String id = newGenerationId();
        Path clip = TestMedia.clip5s();
        cdn.serveFile("/" + id + ".mp4", clip);
        events.publish(new GenerationFailed(id, TENANT, 1, "downstream_service_error", "boom", true));
        events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip)));
        events.awaitOne(id, VideoArchived.class);
    }

    /**
     * Delivers a completion again, both ways a redelivery comes: on the topic, where the consumer
     * template recognises a fact it handled lately and skips it; and as after a restart (or on
     * another instance), when nothing remembers it and the handler itself gets it again.
     */
    private void redeliver(GenerationCompleted event) {
        double skippedBefore = skippedDuplicates();
        events.publish(event);
        await().atMost(Duration.ofSeconds(30)).until(() -> skippedDuplicates() > skippedBefore);
        try {
            VertxContextSupport.subscribeAndAwait(() -> consumer.handle(events.decoded(event)));
        } catch (Throwable e) {
            throw new AssertionError("the redelivered completion was not handled", e);
        }
    }

    private double skippedDuplicates() {
        Counter skipped = registry.find("vidgen.events.consumed")
                .tags("consumer", "archive", "outcome", "duplicate", "type", "completed").counter();
        return skipped == null ? 0 : skipped.count();
    }

    /** The archived bytes, checked where the store keeps them (its directory, s3proxy's disk). */
    abstract void assertStoredCopy(VideoArchived archived, Path clip) throws IOException;

    /** How many objects the store holds whose key ends with {@code /name}. */
    abstract long filesNamed(String name) throws IOException;

    private void assertNothingStored(String id) throws IOException {
        assertEquals(0, filesNamed(id + ".mp4"), "nothing under the store's keys");
        try (Stream<Path> files = Files.walk(workDirectory.path())) {
            assertTrue(files.noneMatch(p -> p.getFileName().toString().startsWith(id)), "no leftover download");
        }
    }

    @Inject
    RetentionService retention;

    /** The admin token of the test profile ({@code %test.vidgen.auth.admin-tokens}). */
    static final String ADMIN_TOKEN = "test-admin-token";

    @Test
    void retentionListsThenDeletesVideosOlderThanTheLimit() throws Exception {
        Path clip = TestMedia.clip5s();
        String old = newGenerationId();
        String recent = newGenerationId();
        for (String id : List.of(old, recent)) {
            cdn.serveFile("/" + id + ".mp4", clip);
            events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip)));
        }
        VideoArchived archived = events.awaitOne(old, VideoArchived.class);
        events.awaitOne(recent, VideoArchived.class);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "update videos set archived_at = now() - interval '40 days' where generation_id = ?")) {
            s.setString(1, old);
            assertEquals(1, s.executeUpdate());
        }

        // Dry run: listed, nothing deleted.
        List<String> listed = given().header("Authorization", "Bearer " + ADMIN_TOKEN).queryParam("days", 30)
                .when().get("/v1/retention/dry-run")
                .then().statusCode(200).extract().jsonPath().getList("videos.generationId");
        assertTrue(listed.contains(old), listed.toString());
        assertTrue(!listed.contains(recent), listed.toString());
        assertTrue(store.size(archived.objectKey()).isPresent());
        given().redirects().follow(false)
                .when().head("/v1/videos/" + old + "?" + Links.video(old)).then().statusCode(200);

        int deleted = java.util.concurrent.CompletableFuture.supplyAsync(() -> retention.purge(30)).get();

        assertTrue(deleted >= 1, "deleted " + deleted);
        assertTrue(store.size(archived.objectKey()).isEmpty(), "object deleted");
        String poster = row(old, "poster_key");
        assertTrue(poster == null || store.size(poster).isEmpty(), "poster deleted");
        assertEquals("DELETED", row(old, "status"));
        assertEquals("ARCHIVED", row(recent, "status"));
        given().redirects().follow(false)
                .when().get("/v1/videos/" + old + "?" + Links.video(old)).then().statusCode(404);
        List<String> after = given().header("Authorization", "Bearer " + ADMIN_TOKEN).queryParam("days", 30)
                .when().get("/v1/retention/dry-run")
                .then().statusCode(200).extract().jsonPath().getList("videos.generationId");
        assertTrue(!after.contains(old), after.toString());
        // A redelivered completion of a deleted video is not archived again; nor is another
        // attempt's completion, which the worker finds answered in the table.
        redeliver(completed(old, cdn.url("/" + old + ".mp4"), Files.size(clip)));
        events.publish(new GenerationCompleted(old, TENANT, TestEvents.SPEC, 2, "fal-req-2", cdn.url("/" + old + ".mp4"),
                "video/mp4", Files.size(clip), 4200L));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("select count(*) from archive_work"
                + " where generation_id = ? and attempt = 2 and state = 'DONE'", old) == 1);
        assertEquals(1, events.allUpToNow(old, VideoArchived.class).size(), "answered once, long ago");
        assertEquals(1, cdn.hits("/" + old + ".mp4"));
        assertEquals("DELETED", row(old, "status"));
    }

    @Test
    void aPosterFrameIsMadeWithFfmpegAndServed() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(TestMedia.hasFfmpeg(), "ffmpeg is not installed");
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);
        events.publish(completed(id, cdn.url("/" + id + ".mp4"), Files.size(clip)));
        VideoArchived archived = events.awaitOne(id, VideoArchived.class);

        String posterKey = row(id, "poster_key");
        assertEquals(archived.objectKey().replace(".mp4", ".jpg"), posterKey);
        byte[] jpeg = VideoFetch.get(id, "/poster", null, 200);
        assertTrue(jpeg.length > 100 && (jpeg[0] & 0xff) == 0xFF && (jpeg[1] & 0xff) == 0xD8, "a JPEG");
        given().header("X-Tenant-Id", TENANT).redirects().follow(false)
                .when().get("/v1/videos/{id}/poster", id).then().statusCode(403);
        given().redirects().follow(false)
                .when().get("/v1/videos/" + id + "/poster?" + Links.video(id, "someone-else")).then().statusCode(403);
    }

    @Test
    void rangeRequestsReturnTheRightBytes() throws Exception {
        Path clip = TestMedia.clip5s();
        byte[] bytes = Files.readAllBytes(clip);
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);
        events.publish(completed(id, cdn.url("/" + id + ".mp4"), (long) bytes.length));
        events.awaitOne(id, VideoArchived.class);
        int size = bytes.length;

        assertArrayEquals(Arrays.copyOfRange(bytes, 0, 100), VideoFetch.get(id, "bytes=0-99", 206));
        assertArrayEquals(Arrays.copyOfRange(bytes, 1000, size), VideoFetch.get(id, "bytes=1000-", 206));
        assertArrayEquals(Arrays.copyOfRange(bytes, size - 500, size), VideoFetch.get(id, "bytes=-500", 206));
        assertArrayEquals(bytes, VideoFetch.get(id, null, 200));
        given().header("Range", "bytes=" + size + "-")
                .redirects().follow(false)
                .when().get("/v1/videos/" + id + "?" + Links.video(id))
                .then().statusCode(416)
                .header("Content-Range", "bytes */" + size);
        given().redirects().follow(false)
                .when().get("/v1/videos/" + id + "?" + Links.video(id, "someone-else"))
                .then().statusCode(403);
    }

    private String row(String generationId, String column) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select " + column + " from videos where generation_id = ?")) {
            s.setString(1, generationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    /** The work item's state, retry count and last change, as one string to compare. */
    private String work(String generationId) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement s = c.prepareStatement("select state, attempts, updated_at from archive_work"
                        + " where generation_id = ?")) {
            s.setString(1, generationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) + " " + rs.getInt(2) + " " + rs.getString(3) : null;
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private long count(String sql, String parameter) {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
