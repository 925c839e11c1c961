package ai.vidgen.billing.domain;

import ai.vidgen.billing.persistence.BudgetRepository;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/** Admission's side of billing: hold a generation's estimate against its tenant's budget. */
@ApplicationScoped
public class Reservations {

    private final Pool pool;
    private final Pricing pricing;
    private final LedgerRepository ledger;
    private final BudgetRepository budgets;
    private final Clock clock;

    public Reservations(Pool pool, Pricing pricing, LedgerRepository ledger, BudgetRepository budgets) {
        this.pool = pool;
        this.pricing = pricing;
        this.ledger = ledger;
        this.budgets = budgets;
        this.clock = Clock.systemUTC();
    }

    /**
     * Reserves once per generation: asking again returns the first reservation unchanged.
     *
     * @return the reserved quote; fails with {@link NoPriceException} or {@link BudgetExceededException}
     */
    public Uni<Quote> reserve(ReservationRequest request) {
        Instant acceptedAt = request.acceptedAt() != null ? request.acceptedAt() : clock.instant();
        return pool.withTransaction(tx -> ledger.find(tx, request.generationId(), LedgerKind.RESERVE)
                .flatMap(existing -> existing.isPresent()
                        ? Uni.createFrom().item(existing.get().quote())
                        : reserveNew(tx, request, acceptedAt)));
    }

    private Uni<Quote> reserveNew(SqlClient tx, ReservationRequest request, Instant acceptedAt) {
        return pricing.quote(tx, request.spec(), acceptedAt)
                .call(quote -> checkBudget(tx, request.tenantId(), quote))
                .call(quote -> ledger.append(tx, request.generationId(), request.tenantId(), LedgerKind.RESERVE,
                        quote, null, null))
                // A concurrent reservation of the same generation may have won the insert: answer with its row.
                .flatMap(quote -> ledger.find(tx, request.generationId(), LedgerKind.RESERVE)
                        .map(row -> row.map(LedgerEntry::quote).orElse(quote)));
    }

    private Uni<Void> checkBudget(SqlClient tx, String tenantId, Quote quote) {
        return budgets.lockLimit(tx, tenantId).flatMap(limit -> limit.isEmpty()
                ? Uni.createFrom().voidItem()
                : ledger.committedSince(tx, tenantId, BillablePeriod.startOfMonth(clock.instant()))
                        .invoke(committed -> refuseIfOver(tenantId, limit, committed, quote))
                        .replaceWithVoid());
    }

    private static void refuseIfOver(String tenantId, Optional<Long> limit, long committed, Quote quote) {
        if (committed + quote.amountMicros() > limit.orElseThrow()) {
            throw new BudgetExceededException(tenantId, limit.get(), committed, quote.amountMicros());
        }
    }
}
