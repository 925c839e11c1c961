package ai.vidgen.billing.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

/**
 * Aggregates of the whole ledger, for the exported metrics: they are read from the ledger
 * itself, so they equal it across restarts (counters in memory would start again at zero).
 */
@ApplicationScoped
public class LedgerAggregates {

    /** Charged micro-dollars (SETTLE plus CORRECTION) and billed seconds (SETTLE) of one label set. */
    public record Spend(String modelFamily, String tier, boolean audio, boolean voiceControl, String tenantId,
            String endpointId, long chargedMicros, long billedSeconds) {
    }

    /** Generations by their state in the ledger: settled, released or still open (reserved only). */
    public record Generations(String endpointId, String modelFamily, String tier, String tenantId, String outcome,
            long count, long reservedMicros) {
    }

    /** fal's cost of output not charged to tenants (FAL_LOSS rows) of one label set. */
    public record Loss(String cause, String tenantId, String endpointId, long micros) {
    }

    /** A budget with what its tenant has committed this period, as admission computes it. */
    public record BudgetUse(String tenantId, long limitMicros, long committedMicros) {
    }

    public Uni<List<Spend>> spend(SqlClient client) {
        return client.query("""
                SELECT model_family, tier, audio, voice_control, tenant_id, endpoint_id,
                       COALESCE(SUM(amount_micros), 0) AS charged,
                       COALESCE(SUM(seconds) FILTER (WHERE kind = 'SETTLE'), 0) AS seconds
                FROM ledger_entries WHERE kind IN ('SETTLE', 'CORRECTION')
                GROUP BY model_family, tier, audio, voice_control, tenant_id, endpoint_id
                """).execute().map(rows -> map(rows, r -> new Spend(r.getString("model_family"), r.getString("tier"),
                r.getBoolean("audio"), r.getBoolean("voice_control"), r.getString("tenant_id"),
                r.getString("endpoint_id"), r.getLong("charged"), r.getLong("seconds"))));
    }

    public Uni<List<Loss>> losses(SqlClient client) {
        return client.query("""
                SELECT loss_cause, tenant_id, endpoint_id, SUM(amount_micros) AS micros
                FROM ledger_entries WHERE kind = 'FAL_LOSS'
                GROUP BY loss_cause, tenant_id, endpoint_id
                """).execute().map(rows -> map(rows, r -> new Loss(r.getString("loss_cause"), r.getString("tenant_id"),
                r.getString("endpoint_id"), r.getLong("micros"))));
    }

    public Uni<List<Generations>> generations(SqlClient client) {
        return client.query("""
                SELECT r.endpoint_id, r.model_family, r.tier, r.tenant_id,
                       CASE WHEN s.generation_id IS NOT NULL THEN 'settled'
                            WHEN rl.generation_id IS NOT NULL THEN 'released'
                            ELSE 'open' END AS outcome,
                       COUNT(*) AS n, COALESCE(SUM(r.amount_micros), 0) AS reserved
                FROM ledger_entries r
                LEFT JOIN ledger_entries s ON s.generation_id = r.generation_id AND s.kind = 'SETTLE'
                LEFT JOIN ledger_entries rl ON rl.generation_id = r.generation_id AND rl.kind = 'RELEASE'
                WHERE r.kind = 'RESERVE'
                GROUP BY 1, 2, 3, 4, 5
                """).execute().map(rows -> map(rows, r -> new Generations(r.getString("endpoint_id"),
                r.getString("model_family"), r.getString("tier"), r.getString("tenant_id"), r.getString("outcome"),
                r.getLong("n"), r.getLong("reserved"))));
    }

    /** Same rule as {@link LedgerRepository#committedSince}, for every tenant that has a budget. */
    public Uni<List<BudgetUse>> budgets(SqlClient client, Instant periodStart) {
        return client.preparedQuery("""
                SELECT b.tenant_id, b.limit_micros,
                       COALESCE((SELECT SUM(CASE WHEN s.generation_id IS NOT NULL THEN s.amount_micros
                                                 WHEN rl.generation_id IS NOT NULL THEN 0
                                                 ELSE r.amount_micros END)
                                 FROM ledger_entries r
                                 LEFT JOIN ledger_entries s ON s.generation_id = r.generation_id AND s.kind = 'SETTLE'
                                 LEFT JOIN ledger_entries rl ON rl.generation_id = r.generation_id AND rl.kind = 'RELEASE'
                                 WHERE r.tenant_id = b.tenant_id AND r.kind = 'RESERVE' AND r.created_at >= $1), 0)
                     + COALESCE((SELECT SUM(c.amount_micros) FROM ledger_entries c
                                 WHERE c.tenant_id = b.tenant_id AND c.kind = 'CORRECTION' AND c.created_at >= $1), 0)
                       AS committed
                FROM budgets b
                """).execute(Tuple.of(periodStart.atOffset(ZoneOffset.UTC)))
                .map(rows -> map(rows, r -> new BudgetUse(r.getString("tenant_id"), r.getLong("limit_micros"),
                        r.getLong("committed"))));
    }

    private static <T> List<T> map(Iterable<Row> rows, java.util.function.Function<Row, T> f) {
        List<T> out = new ArrayList<>();
        rows.forEach(r -> out.add(f.apply(r)));
        return out;
    }
}
