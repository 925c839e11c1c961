package ai.vidgen.storage.persistence;

import io.quarkus.hibernate.reactive.panache.PanacheRepositoryBase;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

/** Access to {@code videos}. The Panache methods need a reactive session (Panache.withTransaction). */
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
}
