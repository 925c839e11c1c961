package ai.vidgen.billing.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

@ApplicationScoped
public class BudgetRepository {

    /**
     * The tenant's budget, row-locked until the transaction ends, so that concurrent
     * reservations of one tenant are checked one after another and cannot overspend together.
     */
    public Uni<Optional<Long>> lockLimit(SqlClient client, String tenantId) {
        return client.preparedQuery("SELECT limit_micros FROM budgets WHERE tenant_id = $1 FOR UPDATE")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getLong("limit_micros")));
    }

    public Uni<Optional<Long>> limit(SqlClient client, String tenantId) {
        return client.preparedQuery("SELECT limit_micros FROM budgets WHERE tenant_id = $1")
                .execute(Tuple.of(tenantId))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getLong("limit_micros")));
    }

    public Uni<Void> upsert(SqlClient client, String tenantId, long limitMicros) {
        return client.preparedQuery("INSERT INTO budgets (tenant_id, limit_micros) VALUES ($1, $2) "
                        + "ON CONFLICT (tenant_id) DO UPDATE SET limit_micros = EXCLUDED.limit_micros, updated_at = now()")
                .execute(Tuple.of(tenantId, limitMicros))
                .replaceWithVoid();
    }

    public Uni<Void> delete(SqlClient client, String tenantId) {
        return client.preparedQuery("DELETE FROM budgets WHERE tenant_id = $1").execute(Tuple.of(tenantId)).replaceWithVoid();
    }
}
