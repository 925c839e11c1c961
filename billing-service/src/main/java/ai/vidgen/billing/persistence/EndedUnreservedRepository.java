package ai.vidgen.billing.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Optional;

/**
 * Generations that ended before billing held a reservation for them. Read and written only
 * under {@link LedgerRepository#lockGeneration}, so a reservation and the end of its generation
 * are decided one after the other, never both on a stale view.
 */
@ApplicationScoped
public class EndedUnreservedRepository {

    /** How the generation ended, as its terminal event said. */
    public record Ended(String reason, String sourceEventId, Instant at) {
    }

    /** Records the end; the first one stays (a redelivery or a second terminal event changes nothing). */
    public Uni<Void> record(SqlClient client, String generationId, String tenantId, String reason,
            String sourceEventId, Instant at) {
        return client.preparedQuery("INSERT INTO generations_ended_unreserved (generation_id, tenant_id, reason, "
                        + "source_event_id, ended_at) VALUES ($1, $2, $3, $4, COALESCE($5::timestamptz, now())) "
                        + "ON CONFLICT (generation_id) DO NOTHING")
                .execute(Tuple.from(Arrays.asList(generationId, tenantId, reason, sourceEventId,
                        at == null ? null : at.atOffset(ZoneOffset.UTC))))
                .replaceWithVoid();
    }

    public Uni<Optional<Ended>> find(SqlClient client, String generationId) {
        return client.preparedQuery("SELECT reason, source_event_id, ended_at FROM generations_ended_unreserved "
                        + "WHERE generation_id = $1")
                .execute(Tuple.of(generationId))
                .map(rows -> rows.size() == 0 ? Optional.<Ended>empty()
                        : Optional.of(rows.iterator().next()).map(row -> new Ended(row.getString("reason"),
                                row.getString("source_event_id"), row.getOffsetDateTime("ended_at").toInstant())));
    }
}
