package ai.vidgen.dispatcher.persistence;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.EventCodec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.List;

/**
 * The transactional outbox. State changes append their event here in their own transaction,
 * encoded right then (so its CloudEvent id and time are those of the fact); the relay publishes
 * entries in id order and deletes them once the broker has acknowledged.
 */
@ApplicationScoped
public class OutboxRepository {

    /** One relay at a time across replicas, so one generation's events leave in the order written. */
    static final long RELAY_LOCK = 0x76726c6179L; // "vrlay"

    private final Pool pool;
    private final EventCodec codec;

    public OutboxRepository(Pool pool, EventCodec codec) {
        this.pool = pool;
        this.codec = codec;
    }

    public Uni<Void> append(SqlConnection tx, List<? extends GenerationEvent> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Tuple> batch = new ArrayList<>();
        for (GenerationEvent event : events) {
            CloudEvent envelope = codec.envelope(event);
            batch.add(Tuple.of(event.generationId(), envelope.id(), envelope.type(), EventCodec.write(envelope)));
        }
        return tx.preparedQuery("INSERT INTO outbox (generation_id, event_id, event_type, cloud_event)"
                        + " VALUES ($1, $2, $3, $4)")
                .executeBatch(batch)
                .replaceWithVoid();
    }

    /** Takes the relay lock until the caller's transaction ends. */
    public Uni<Void> lockRelay(SqlConnection tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(RELAY_LOCK)).replaceWithVoid();
    }

    public Uni<List<OutboxEntry>> oldest(SqlConnection tx, int limit) {
        return tx.preparedQuery("SELECT id, generation_id, event_id, cloud_event FROM outbox ORDER BY id LIMIT $1"
                        + " FOR UPDATE")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<OutboxEntry> entries = new ArrayList<>();
                    for (Row r : rows) {
                        entries.add(new OutboxEntry(r.getLong("id"), r.getString("generation_id"),
                                r.getString("event_id"), r.getString("cloud_event")));
                    }
                    return entries;
                });
    }

    public Uni<Void> delete(SqlConnection tx, List<Long> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery("DELETE FROM outbox WHERE id = ANY($1)")
                .execute(Tuple.of(ids.toArray(new Long[0])))
                .replaceWithVoid();
    }

    public Uni<Long> size() {
        return pool.query("SELECT count(*) FROM outbox").execute().map(rows -> rows.iterator().next().getLong(0));
    }
}
