package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.BillablePeriod;
import ai.vidgen.billing.persistence.BudgetRepository;
import ai.vidgen.billing.persistence.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;

@Path("/v1/budgets/{tenantId}")
public class BudgetResource {

    public record BudgetRequest(@NotNull @PositiveOrZero Long limitMicros) {
    }

    /** {@code limitMicros} null means "no budget" (unlimited), which is not the same as zero. */
    public record BudgetStatus(String tenantId, Long limitMicros, long committedMicros, Long remainingMicros,
            Instant periodStart) {
    }

    private final Pool pool;
    private final BudgetRepository budgets;
    private final LedgerRepository ledger;

    public BudgetResource(Pool pool, BudgetRepository budgets, LedgerRepository ledger) {
        this.pool = pool;
        this.budgets = budgets;
        this.ledger = ledger;
    }

    @GET
    public Uni<BudgetStatus> status(@PathParam("tenantId") String tenantId) {
        Instant periodStart = BillablePeriod.startOfMonth(Instant.now());
        return budgets.limit(pool, tenantId).flatMap(limit -> ledger.committedSince(pool, tenantId, periodStart)
                .map(committed -> new BudgetStatus(tenantId, limit.orElse(null), committed,
                        limit.map(l -> l - committed).orElse(null), periodStart)));
    }

    @PUT
    public Uni<BudgetStatus> set(@PathParam("tenantId") String tenantId, @NotNull @Valid BudgetRequest request) {
        return budgets.upsert(pool, tenantId, request.limitMicros()).flatMap(ignored -> status(tenantId));
    }

    /** Removes the budget: the tenant becomes unlimited. */
    @DELETE
    public Uni<BudgetStatus> remove(@PathParam("tenantId") String tenantId) {
        return budgets.delete(pool, tenantId).flatMap(ignored -> status(tenantId));
    }
}
