package ai.vidgen.platform.outbox;

import io.quarkus.arc.properties.IfBuildProperty;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The SQL of the outbox table. */
@ApplicationScoped
@IfBuildProperty(name = "vidgen.outbox.enabled", stringValue = "true")
public class OutboxStore {

    /**
     * Advisory lock key of the relay ("vidgen-outbox" in a bigint). Held for one pass, it makes the
     * relay single-flight across every replica of a service, so rows reach Kafka in the order they
     * were written. Each service has its own database, so one key serves them all.
     */
    static final long RELAY_LOCK = 0x7669_6467_656e_6f78L;

    private final Pool pool;

    public OutboxStore(Pool pool) {
        this.pool = pool;
    }

    public Pool pool() {
        return pool;
    }

    /** True when this transaction now holds the relay; false when another replica does. */
    Uni<Boolean> tryLockRelay(SqlConnection tx) {
        return tx.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked").execute(Tuple.of(RELAY_LOCK))
                .map(rows -> rows.iterator().next().getBoolean("locked"));
    }

    /** The oldest rows still to publish (not set aside), in insertion order. */
    Uni<List<OutboxRow>> oldest(SqlConnection tx, int limit) {
        return tx.preparedQuery("""
                        SELECT id, generation_id, event_id, event_type, cloud_event FROM outbox
                        WHERE refused_at IS NULL ORDER BY id LIMIT $1""")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<OutboxRow> batch = new ArrayList<>();
                    for (Row r : rows) {
                        batch.add(new OutboxRow(r.getLong("id"), r.getString("generation_id"), r.getString("event_id"),
                                r.getString("event_type"), r.getString("cloud_event")));
                    }
                    return batch;
                });
    }

    Uni<Void> delete(SqlConnection tx, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)").execute(Tuple.of(ids.toArray(Long[]::new)))
                .replaceWithVoid();
    }

    /** Sets rows aside with the broker's reason; they stay for operators, out of the relay's way. */
    Uni<Void> setAside(SqlConnection tx, Map<Long, String> reasons) {
        if (reasons.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> rows = new ArrayList<>();
        OffsetDateTime now = OffsetDateTime.now(ZoneOffset.UTC);
        reasons.forEach((id, reason) -> rows.add(Tuple.of(id, now, reason)));
        return tx.preparedQuery("UPDATE outbox SET refused_at = $2, refusal = $3 WHERE id = $1").executeBatch(rows)
                .replaceWithVoid();
    }

    /** Rows not yet published: the relay's backlog. */
    public Uni<Long> backlog() {
        return pool.query("SELECT count(*) AS n FROM outbox WHERE refused_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Rows the broker refused for good. */
    public Uni<Long> refused() {
        return pool.query("SELECT count(*) AS n FROM outbox WHERE refused_at IS NOT NULL").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }
}
