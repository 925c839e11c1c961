package ai.vidgen.request.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/** The transactional outbox: rows written with the state change, published by the relay. */
@ApplicationScoped
public class OutboxRepository {

    /**
     * Advisory lock key of the relay ("vidgen-request-outbox" in a bigint). Held for the length of
     * one pass, it makes the relay single-flight across every instance of the service, so rows
     * reach Kafka in the order they were written, whatever the number of replicas.
     */
    static final long RELAY_LOCK = 0x7669_6467_656e_6f62L;

    private final Pool pool;
    private final Clock clock = Clock.systemUTC();

    public OutboxRepository(Pool pool) {
        this.pool = pool;
    }

    /**
     * One relay pass: takes up to {@code limit} unsent rows in insertion order, hands them to
     * {@code publish} (which answers with the ids the broker acknowledged) and marks those sent,
     * all in one transaction. Returns how many rows were marked, or -1 when another instance holds
     * the relay. If publishing fails or the transaction does not commit, no row is marked and the
     * next pass publishes them again: at least once, with the same CloudEvent ids, which
     * consumers deduplicate.
     */
    public Uni<Integer> relayPass(int limit, Function<List<OutboxRow>, Uni<List<Long>>> publish) {
        return pool.withTransaction(conn -> conn.preparedQuery("SELECT pg_try_advisory_xact_lock($1) AS locked")
                .execute(Tuple.of(RELAY_LOCK))
                .chain(lock -> {
                    if (!lock.iterator().next().getBoolean("locked")) {
                        return Uni.createFrom().item(-1);
                    }
                    return conn.preparedQuery("""
                                    SELECT id, generation_id, event_id, payload FROM outbox
                                    WHERE sent_at IS NULL ORDER BY id LIMIT $1""")
                            .execute(Tuple.of((long) limit))
                            .chain(rows -> {
                                List<OutboxRow> batch = new ArrayList<>();
                                rows.forEach(r -> batch.add(new OutboxRow(r.getLong("id"), r.getString("generation_id"),
                                        r.getString("event_id"), r.getString("payload"))));
                                if (batch.isEmpty()) {
                                    return Uni.createFrom().item(0);
                                }
                                return publish.apply(batch).chain(sent -> sent.isEmpty()
                                        ? Uni.createFrom().item(0)
                                        : conn.preparedQuery("UPDATE outbox SET sent_at = $2 WHERE id = ANY($1)")
                                                .execute(Tuple.of(sent.toArray(Long[]::new), OffsetDateTime.now(clock)))
                                                .map(updated -> updated.rowCount()));
                            });
                }));
    }

    /** Rows not yet published: the relay's backlog, for the gauge and for tests. */
    public Uni<Long> unsentCount() {
        return pool.query("SELECT count(*) AS n FROM outbox WHERE sent_at IS NULL").execute()
                .map(rows -> rows.iterator().next().getLong("n"));
    }

    /** Deletes rows sent longer than {@code retention} ago; returns how many. */
    public Uni<Integer> purgeSent(Duration retention) {
        return pool.preparedQuery("DELETE FROM outbox WHERE sent_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(clock).minus(retention)))
                .map(rows -> rows.rowCount());
    }
}
