package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.BillablePeriod;
import ai.vidgen.billing.persistence.BudgetRepository;
import ai.vidgen.billing.persistence.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Tenants' monthly budgets, and what each has committed against its budget this month. */
@ApplicationScoped
public class Budgets {

    /**
     * @param limitMicros empty means "no budget" (unlimited), which is not the same as zero
     * @param committedMicros by the rule admission enforces ({@link LedgerRepository#committedSince})
     */
    public record Budget(String tenantId, Optional<Long> limitMicros, long committedMicros, Instant periodStart) {

        public Optional<Long> remainingMicros() {
            return limitMicros.map(limit -> limit - committedMicros);
        }
    }

    private final Pool pool;
    private final BudgetRepository budgets;
    private final LedgerRepository ledger;
    private final Clock clock = Clock.systemUTC();

    public Budgets(Pool pool, BudgetRepository budgets, LedgerRepository ledger) {
        this.pool = pool;
        this.budgets = budgets;
        this.ledger = ledger;
    }

    public Uni<Budget> of(String tenantId) {
        return pool.withConnection(connection -> read(connection, tenantId));
    }

    /** Sets the tenant's limit and answers with the budget as it now stands. */
    public Uni<Budget> set(String tenantId, long limitMicros) {
        return pool.withTransaction(tx -> budgets.upsert(tx, tenantId, limitMicros).chain(() -> read(tx, tenantId)));
    }

    /** Removes the budget: the tenant becomes unlimited. */
    public Uni<Budget> remove(String tenantId) {
        return pool.withTransaction(tx -> budgets.delete(tx, tenantId).chain(() -> read(tx, tenantId)));
    }

    private Uni<Budget> read(SqlClient client, String tenantId) {
        Instant periodStart = BillablePeriod.startOfMonth(clock.instant());
        return budgets.limit(client, tenantId).flatMap(limit -> ledger.committedSince(client, tenantId, periodStart)
                .map(committed -> new Budget(tenantId, limit, committed, periodStart)));
    }
}
