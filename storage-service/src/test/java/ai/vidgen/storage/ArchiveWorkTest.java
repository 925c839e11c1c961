package ai.vidgen.storage;

import static ai.vidgen.storage.TestEvents.TENANT;
import static ai.vidgen.storage.TestEvents.completed;
import static ai.vidgen.storage.TestEvents.newGenerationId;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.storage.archive.ArchiveService;
import ai.vidgen.storage.persistence.WorkItem;
import ai.vidgen.testsupport.quarkus.KafkaResource;
import ai.vidgen.testsupport.quarkus.PostgresResource;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import jakarta.inject.Inject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Timestamp;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CountDownLatch;
import javax.sql.DataSource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The archive runs off the Kafka consumer, from a durable work queue: these tests break it on
 * purpose. A download that crawls holds up neither the consumer nor the other generations; an item
 * whose worker died is taken over once its lease runs out and archived once; a worker that lost its
 * lease can answer nothing; and a burst of completions is recorded in a few transactions.
 */
@QuarkusTest
@WithTestResource(KafkaResource.class)
@WithTestResource(PostgresResource.class)
class ArchiveWorkTest {

    private static FakeCdn cdn;
    private static FakeCdn forbidden;
    private static TestEvents events;

    @Inject
    DataSource dataSource;

    @Inject
    ArchiveService archiveService;

    @Inject
    MeterRegistry registry;

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
    void aDownloadThatCrawlsHoldsUpNoOtherGeneration() throws Exception {
        Path clip = TestMedia.clip5s();
        String slow = newGenerationId();
        String fast = newGenerationId();
        CountDownLatch release = new CountDownLatch(1);
        try {
            cdn.serveTrickling("/" + slow + ".mp4", clip, release);
            cdn.serveFile("/" + fast + ".mp4", clip);
            events.publish(completed(slow, cdn.url("/" + slow + ".mp4"), Files.size(clip)));
            await().atMost(Duration.ofSeconds(30)).until(() -> cdn.hits("/" + slow + ".mp4") == 1);

            events.publish(completed(fast, cdn.url("/" + fast + ".mp4"), Files.size(clip)));
            VideoArchived archived = events.awaitOne(fast, VideoArchived.class);

            assertEquals(Files.size(clip), archived.bytes());
            assertEquals("PENDING", column(slow, "state"), "the slow one is still downloading");
        } finally {
            release.countDown();
        }
        VideoArchived late = events.awaitOne(slow, VideoArchived.class);
        assertEquals(TestMedia.sha256(clip), late.sha256());
        assertEquals(1, cdn.hits("/" + slow + ".mp4"), "one slow download, never abandoned");
    }

    @Test
    void anItemWhoseWorkerDiedIsTakenOverWhenItsLeaseRunsOutAndArchivedOnce() throws Exception {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);
        // As a replica leaves its item when it is killed mid-download: claimed, lease still running.
        Instant leaseUntil = insertWork(id, cdn.url("/" + id + ".mp4"), Files.size(clip), "dead-replica:1",
                Duration.ofSeconds(2), Duration.ZERO);

        VideoArchived archived = events.awaitOne(id, VideoArchived.class);

        assertEquals(Files.size(clip), archived.bytes());
        double archivedAt = Double.parseDouble(column(id, "(select extract(epoch from archived_at) from videos v"
                + " where v.generation_id = w.generation_id)"));
        assertTrue(archivedAt * 1000 >= leaseUntil.toEpochMilli(), "taken over only after the lease ran out");
        assertEquals("DONE", column(id, "state"));
        assertNull(column(id, "lease_owner"));
        assertEquals(1, cdn.hits("/" + id + ".mp4"));
        assertEquals(1, events.allUpToNow(id, VideoArchived.class).size(), "published once");
    }

    @Test
    void aWorkerWhoseLeaseWasTakenOverChangesAndPublishesNothing() throws Exception {
        Path clip = TestMedia.clip5s();
        String id = newGenerationId();
        cdn.serveFile("/" + id + ".mp4", clip);
        // Another worker holds the item now (and it is not due for anyone else meanwhile).
        insertWork(id, cdn.url("/" + id + ".mp4"), Files.size(clip), "new-owner:2", Duration.ofHours(1),
                Duration.ofHours(1));
        WorkItem zombie = new WorkItem(id, 1, TENANT, cdn.url("/" + id + ".mp4"), Files.size(clip), null, null, 0,
                "old-owner:1", Instant.now());
        try {
            Throwable failure = null;
            try {
                VertxContextSupport.subscribeAndAwait(() -> archiveService.process(zombie));
            } catch (Throwable t) {
                failure = t;
            }

            assertInstanceOf(ArchiveService.LeaseLost.class, failure);
            assertEquals("PENDING", column(id, "state"));
            assertEquals("new-owner:2", column(id, "lease_owner"));
            assertEquals("ARCHIVING", column(id, "(select status from videos v where v.generation_id = w.generation_id)"));
            assertEquals(List.of(), events.allUpToNow(id, VideoArchived.class));
        } finally {
            update("delete from archive_work where generation_id = ?", id);
        }
    }

    @Test
    void aBurstOfCompletionsIsRecordedInFarFewerTransactionsThanRecords() throws Exception {
        int n = 200;
        String prefix = "burst-" + UUID.randomUUID().toString().substring(0, 8) + "-";
        List<GenerationCompleted> burst = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            // A host that is not allowed: answered at once, without a download.
            burst.add(completed(prefix + i, forbidden.url("/" + prefix + i + ".mp4"), null));
        }
        DistributionSummary batches = registry.find("vidgen.storage.archive.intake.batch").summary();
        long transactionsBefore = batches == null ? 0 : batches.count();

        events.publishAll(burst);

        await().atMost(Duration.ofSeconds(60)).until(() -> count("select count(*) from archive_work"
                + " where generation_id like ? and state = 'FAILED'", prefix + "%") == n);
        long transactions = registry.find("vidgen.storage.archive.intake.batch").summary().count() - transactionsBefore;
        assertTrue(transactions < n / 4, n + " completions in " + transactions + " transactions");
        assertEquals(n, count("select count(*) from archive_work where generation_id like ?"
                + " and last_error like 'host_not_allowed:%'", prefix + "%"));
    }

    /** A claimed work item as the worker that claimed it left it; returns when its lease runs out. */
    private Instant insertWork(String id, String url, long bytes, String owner, Duration lease, Duration notDueFor)
            throws Exception {
        Instant leaseUntil = Instant.now().plus(lease);
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement("""
                insert into archive_work (generation_id, attempt, tenant_id, source_url, expected_bytes, state,
                                          next_attempt_at, lease_owner, lease_until)
                values (?, 1, ?, ?, ?, 'PENDING', ?, ?, ?)""")) {
            s.setString(1, id);
            s.setString(2, TENANT);
            s.setString(3, url);
            s.setLong(4, bytes);
            s.setTimestamp(5, Timestamp.from(Instant.now().plus(notDueFor)));
            s.setString(6, owner);
            s.setTimestamp(7, Timestamp.from(leaseUntil));
            s.executeUpdate();
        }
        return leaseUntil;
    }

    private String column(String generationId, String expression) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(
                "select " + expression + " from archive_work w where w.generation_id = ?")) {
            s.setString(1, generationId);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    private long count(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }

    private void update(String sql, String parameter) throws Exception {
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, parameter);
            s.executeUpdate();
        }
    }
}
