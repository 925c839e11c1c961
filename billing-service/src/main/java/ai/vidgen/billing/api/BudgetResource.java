package ai.vidgen.billing.api;

import ai.vidgen.billing.service.Budgets;
import ai.vidgen.billing.service.Budgets.Budget;
import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.auth.ServiceOnly;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import java.time.Instant;

/**
 * A tenant's monthly budget. Setting and removing it is the operators' (admin token); reading it
 * is open to the platform's services too (service token), so the request-service can show each
 * tenant its own. Per-method annotations: a class-level one would apply to every method as well.
 */
@Path("/v1/budgets/{tenantId}")
public class BudgetResource {

    public record BudgetRequest(@NotNull @PositiveOrZero Long limitMicros) {
    }

    /** {@code limitMicros} null means "no budget" (unlimited), which is not the same as zero. */
    public record BudgetStatus(String tenantId, Long limitMicros, long committedMicros, Long remainingMicros,
            Instant periodStart) {

        static BudgetStatus of(Budget budget) {
            return new BudgetStatus(budget.tenantId(), budget.limitMicros().orElse(null), budget.committedMicros(),
                    budget.remainingMicros().orElse(null), budget.periodStart());
        }
    }

    private final Budgets budgets;

    public BudgetResource(Budgets budgets) {
        this.budgets = budgets;
    }

    @GET
    @ServiceOnly
    public Uni<BudgetStatus> status(@PathParam("tenantId") String tenantId) {
        return budgets.of(tenantId).map(BudgetStatus::of);
    }

    @PUT
    @AdminOnly
    public Uni<BudgetStatus> set(@PathParam("tenantId") String tenantId, @NotNull @Valid BudgetRequest request) {
        return budgets.set(tenantId, request.limitMicros()).map(BudgetStatus::of);
    }

    /** Removes the budget: the tenant becomes unlimited. */
    @DELETE
    @AdminOnly
    public Uni<BudgetStatus> remove(@PathParam("tenantId") String tenantId) {
        return budgets.remove(tenantId).map(BudgetStatus::of);
    }
}
