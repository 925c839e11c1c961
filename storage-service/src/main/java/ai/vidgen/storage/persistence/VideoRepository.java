package ai.vidgen.storage.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import ai.vidgen.storage.archive.ArchivedVideo;
import ai.vidgen.storage.domain.VideoStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/**
 * Access to {@code videos}. The Panache methods need a reactive session (Panache.withTransaction);
 * the archive worker's methods go through the SQL client, in transactions that also write the work
 * queue and the outbox.
 */
@ApplicationScoped
public class VideoRepository implements PanacheRepositoryBase<VideoEntity, String> {

    private final Pool pool;

    public VideoRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * Records the first archive attempt of a generation unless it is recorded already. The insert
     * is a no-op on conflict rather than a check followed by an insert, so two consumers racing on
     * one generation (during a rebalance) still end with one row, one first-attempt date and so one
     * object key. It goes through the SQL client directly: a native mutation in a Hibernate session
     * would make Hibernate schedule cache invalidations that this entity does not need.
     *
     * @return whether this call created the row
     */
    public Uni<Boolean> claim(String generationId, String tenantId, int attempt) {
        return pool.preparedQuery("""
                        insert into videos (generation_id, tenant_id, attempt, status, first_attempt_at, updated_at)
                        values ($1, $2, $3, 'ARCHIVING', now(), now())
                        on conflict (generation_id) do nothing""")
                .execute(Tuple.of(generationId, tenantId, attempt))
                .map(rows -> rows.rowCount() == 1);
    }

    /** The row's state, locked until the caller's transaction ends. */
    public Uni<VideoState> lockState(SqlConnection tx, String generationId) {
        return tx.preparedQuery("""
                        select generation_id, tenant_id, attempt, status, first_attempt_at
                          from videos where generation_id = $1 for update""")
                .execute(Tuple.of(generationId))
                .map(rows -> {
                    Row r = rows.iterator().next();
                    return new VideoState(r.getString("generation_id"), r.getString("tenant_id"),
                            r.getInteger("attempt"), VideoStatus.valueOf(r.getString("status")),
                            r.getOffsetDateTime("first_attempt_at").toInstant());
                });
    }

    /** A later fal attempt replaces a failed one: the row is archived again, for that attempt. */
    public Uni<Void> restart(SqlConnection tx, String generationId, int attempt) {
        return tx.preparedQuery("""
                        update videos set status = 'ARCHIVING', attempt = $2, failure_reason = null,
                                          failure_message = null, updated_at = now()
                         where generation_id = $1""")
                .execute(Tuple.of(generationId, attempt))
                .replaceWithVoid();
    }

    public Uni<Void> markArchived(SqlConnection tx, String generationId, ArchivedVideo video) {
        return tx.preparedQuery("""
                        update videos
                           set status = 'ARCHIVED', object_key = $2, location = $3, content_type = $4, bytes = $5,
                               sha256 = $6, duration_ms = $7, width = $8, height = $9, video_codec = $10,
                               has_audio = $11, poster_key = $12, archived_at = now(), updated_at = now(),
                               failure_reason = null, failure_message = null
                         where generation_id = $1""")
                .execute(Tuple.from(Arrays.asList(generationId, video.objectKey(), video.location(),
                        video.contentType(), video.bytes(), video.sha256(), video.mp4().durationMillis(),
                        video.mp4().width(), video.mp4().height(), video.mp4().videoCodec(), video.mp4().hasAudio(),
                        video.posterKey())))
                .replaceWithVoid();
    }

    public Uni<Void> markFailed(SqlConnection tx, String generationId, String reason, String message) {
        return tx.preparedQuery("""
                        update videos set status = 'FAILED', failure_reason = $2, failure_message = $3,
                                          updated_at = now()
                         where generation_id = $1""")
                .execute(Tuple.of(generationId, reason, message))
                .replaceWithVoid();
    }
}
