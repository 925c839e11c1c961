package ai.vidgen.storage.retention;

import ai.vidgen.storage.config.StorageConfig;
import ai.vidgen.storage.objectstore.ObjectStore;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Deletes archived videos older than {@code storage.retention.days}: the object from the store,
 * then the row is marked {@code DELETED} (kept, so a redelivered completion is not archived again).
 * The object goes first, so a sweep interrupted in between is finished by the next one (deleting
 * a missing object is harmless). Off when {@code storage.retention.days} is not set.
 */
@ApplicationScoped
public class RetentionService {

    private static final Logger LOG = Logger.getLogger(RetentionService.class);

    private final Pool pool;
    private final ObjectStore store;
    private final StorageConfig.Retention config;
    private final Counter deleted;
    private final Counter deletedBytes;

    public RetentionService(Pool pool, ObjectStore store, StorageConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.store = store;
        this.config = config.retention();
        this.deleted = Counter.builder("vidgen.storage.retention.deleted").description("videos deleted by retention")
                .register(registry);
        this.deletedBytes = Counter.builder("vidgen.storage.retention.deleted.bytes").baseUnit("bytes")
                .description("bytes deleted by retention").register(registry);
    }

    public record Candidate(String generationId, String tenantId, String objectKey, long bytes, Instant archivedAt,
            @com.fasterxml.jackson.annotation.JsonIgnore String posterKey) {
    }

    /** Archived videos older than {@code days} days, oldest first; nothing is deleted. */
    public Uni<List<Candidate>> candidates(int days, int limit) {
        if (days < 0) {
            throw new IllegalArgumentException("days must not be negative");
        }
        OffsetDateTime cutoff = cutoff(days);
        return pool.preparedQuery("""
                        select generation_id, tenant_id, object_key, bytes, archived_at, poster_key from videos
                        where status = 'ARCHIVED' and archived_at < $1
                        order by archived_at limit $2""")
                .execute(Tuple.of(cutoff, limit))
                .map(rows -> {
                    List<Candidate> list = new ArrayList<>();
                    for (Row row : rows) {
                        list.add(new Candidate(row.getString("generation_id"), row.getString("tenant_id"),
                                row.getString("object_key"), row.getLong("bytes"),
                                row.getOffsetDateTime("archived_at").toInstant(), row.getString("poster_key")));
                    }
                    return list;
                });
    }

    public static OffsetDateTime cutoff(int days) {
        return OffsetDateTime.now(ZoneOffset.UTC).minusDays(days);
    }

    // A blocking @Scheduled method runs on a worker thread, so waiting for the database is fine here.
    @Scheduled(every = "${storage.retention.every:1h}", delayed = "1m",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    void sweep() {
        if (config.days().isEmpty()) {
            return;
        }
        try {
            int count = purge(config.days().get());
            if (count > 0) {
                LOG.infof("retention deleted %d videos older than %d days", count, config.days().get());
            }
        } catch (RuntimeException e) {
            LOG.warnf("retention sweep failed, the next one retries: %s", e.getMessage());
        }
    }

    /**
     * Deletes up to {@code storage.retention.batch-size} videos older than {@code days} days.
     * Blocks: call it on a worker thread.
     *
     * @return how many were deleted
     */
    public int purge(int days) {
        if (io.vertx.core.Context.isOnEventLoopThread()) {
            throw new IllegalStateException("purge() blocks and must not run on a Vert.x event loop");
        }
        List<Candidate> batch = candidates(days, config.batchSize()).await().atMost(Duration.ofMinutes(1));
        int count = 0;
        for (Candidate video : batch) {
            try {
                if (video.posterKey() != null) {
                    store.delete(video.posterKey());
                }
                store.delete(video.objectKey());
            } catch (IOException e) {
                LOG.warnf("cannot delete %s, retried by the next sweep: %s", video.objectKey(), e.getMessage());
                continue;
            }
            int updated = pool.preparedQuery("""
                            update videos set status = 'DELETED', deleted_at = now(), updated_at = now()
                            where generation_id = $1 and status = 'ARCHIVED'""")
                    .execute(Tuple.of(video.generationId())).await().atMost(Duration.ofMinutes(1)).rowCount();
            if (updated == 1) {
                count++;
                deleted.increment();
                deletedBytes.increment(video.bytes());
                LOG.debugf("retention deleted %s (%s, archived %s)", video.generationId(), video.objectKey(),
                        video.archivedAt());
            }
        }
        return count;
    }
}
