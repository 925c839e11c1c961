package ai.vidgen.request.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Tells every replica that a generation's read model changed: a PostgreSQL NOTIFY on
 * {@link #CHANNEL} with the generation id, which the replicas' open event streams listen to
 * instead of polling.
 */
public final class GenerationChanges {

    /** The NOTIFY channel; the payload is the generation id. */
    public static final String CHANNEL = "generation_changed";

    private GenerationChanges() {
    }

    /**
     * Called inside the transaction that changes the generation: PostgreSQL delivers the
     * notification only when that transaction commits (never for a rollback), so a listener that
     * re-reads the generation on it always sees the change; repeats in one transaction are sent once.
     */
    public static Uni<Void> announce(SqlConnection conn, String generationId) {
        return conn.preparedQuery("SELECT pg_notify($1, $2)")
                .execute(Tuple.of(CHANNEL, generationId))
                .replaceWithVoid();
    }
}
