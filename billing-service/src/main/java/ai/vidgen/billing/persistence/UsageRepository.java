package ai.vidgen.billing.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Usage aggregates of the ledger: charges (settlements and corrections) by chosen dimensions. */
@ApplicationScoped
public class UsageRepository {

    /** A grouping dimension: its name in the API, its SQL expression. Only these reach the SQL. */
    public enum Dimension {
        tenant("tenant_id"),
        model_family("model_family"),
        tier("tier"),
        audio("audio"),
        voice_control("voice_control"),
        endpoint("endpoint_id"),
        day("to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD')");

        final String sql;

        Dimension(String sql) {
            this.sql = sql;
        }
    }

    /**
     * @param groups         the values of the requested dimensions, in their order (strings or booleans)
     * @param chargedMicros  settlements plus corrections
     * @param billedSeconds  seconds of the settlements
     * @param generations    settled generations
     * @param correctionsMicros the corrections' share of {@code chargedMicros}
     */
    public record UsageRow(Map<Dimension, Object> groups, long chargedMicros, long billedSeconds, long generations,
            long correctionsMicros) {
    }

    public Uni<List<UsageRow>> usage(SqlClient client, String tenantId, Instant from, Instant to, List<Dimension> groupBy) {
        List<Object> params = new ArrayList<>();
        StringBuilder where = new StringBuilder("kind IN ('SETTLE', 'CORRECTION')");
        if (tenantId != null) {
            params.add(tenantId);
            where.append(" AND tenant_id = $").append(params.size());
        }
        if (from != null) {
            params.add(from.atOffset(ZoneOffset.UTC));
            where.append(" AND created_at >= $").append(params.size());
        }
        if (to != null) {
            params.add(to.atOffset(ZoneOffset.UTC));
            where.append(" AND created_at < $").append(params.size());
        }
        StringBuilder select = new StringBuilder("SELECT ");
        for (int i = 0; i < groupBy.size(); i++) {
            select.append(groupBy.get(i).sql).append(" AS g").append(i).append(", ");
        }
        select.append("COALESCE(SUM(amount_micros), 0) AS charged, ")
                .append("COALESCE(SUM(seconds) FILTER (WHERE kind = 'SETTLE'), 0) AS seconds, ")
                .append("COUNT(*) FILTER (WHERE kind = 'SETTLE') AS generations, ")
                .append("COALESCE(SUM(amount_micros) FILTER (WHERE kind = 'CORRECTION'), 0) AS corrections ")
                .append("FROM ledger_entries WHERE ").append(where);
        if (!groupBy.isEmpty()) {
            StringBuilder positions = new StringBuilder();
            for (int i = 1; i <= groupBy.size(); i++) {
                positions.append(i == 1 ? "" : ", ").append(i);
            }
            select.append(" GROUP BY ").append(positions).append(" ORDER BY ").append(positions);
        }
        return client.preparedQuery(select.toString()).execute(Tuple.from(params)).map(rows -> {
            List<UsageRow> out = new ArrayList<>();
            rows.forEach(row -> {
                Map<Dimension, Object> groups = new LinkedHashMap<>();
                for (int i = 0; i < groupBy.size(); i++) {
                    groups.put(groupBy.get(i), row.getValue("g" + i));
                }
                out.add(new UsageRow(groups, row.getLong("charged"), row.getLong("seconds"), row.getLong("generations"),
                        row.getLong("corrections")));
            });
            return out;
        });
    }
}
