package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.AudioMode;
import ai.vidgen.billing.domain.BillablePeriod;
import ai.vidgen.billing.domain.BudgetExceededException;
import ai.vidgen.billing.domain.ConflictException;
import ai.vidgen.billing.domain.InvalidReservationException;
import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.domain.NoPriceException;
import ai.vidgen.billing.domain.Quote;
import ai.vidgen.billing.domain.ReservationRequest;
import ai.vidgen.billing.persistence.BudgetRepository;
import ai.vidgen.billing.persistence.EndedUnreservedRepository;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import ai.vidgen.billing.persistence.PriceBookRepository;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/** Admission's side of billing: hold a generation's estimate against its tenant's budget. */
@ApplicationScoped
public class Reservations {

    private static final Logger LOG = Logger.getLogger(Reservations.class);

    /** The reason of the conflict answered to a reservation for a generation that ended. */
    public static final String GENERATION_ENDED = "generation_ended";

    private final Pool pool;
    private final Pricing pricing;
    private final LedgerRepository ledger;
    private final BudgetRepository budgets;
    private final PriceBookRepository priceBooks;
    private final EndedUnreservedRepository ended;
    private final Clock clock;

    public Reservations(Pool pool, Pricing pricing, LedgerRepository ledger, BudgetRepository budgets,
            PriceBookRepository priceBooks, EndedUnreservedRepository ended) {
        this.pool = pool;
        this.pricing = pricing;
        this.ledger = ledger;
        this.budgets = budgets;
        this.priceBooks = priceBooks;
        this.ended = ended;
        this.clock = Clock.systemUTC();
    }

    /**
     * Reserves once per generation: asking again returns the first reservation unchanged. A
     * generation that already ended (its cancellation reached billing first) gets nothing: no later
     * event would give the reservation back.
     *
     * @return the reserved quote; fails with {@link NoPriceException}, {@link BudgetExceededException}
     *         or a {@link ConflictException} {@value #GENERATION_ENDED}
     */
    public Uni<Quote> reserve(ReservationRequest request) {
        Instant acceptedAt = request.acceptedAt() != null ? request.acceptedAt() : clock.instant();
        return pool.withTransaction(tx -> ledger.lockGeneration(tx, request.generationId())
                .chain(() -> ledger.find(tx, request.generationId(), LedgerKind.RESERVE))
                .flatMap(existing -> existing.isPresent()
                        ? Uni.createFrom().item(existing.get().quote())
                        : ended.find(tx, request.generationId()).flatMap(end -> end.isPresent()
                                ? Uni.createFrom().failure(new ConflictException(GENERATION_ENDED, "generation "
                                        + request.generationId() + " already ended (" + end.get().reason()
                                        + "); nothing is reserved for it"))
                                : reserveNew(tx, request, acceptedAt))));
    }

    private Uni<Quote> reserveNew(SqlClient tx, ReservationRequest request, Instant acceptedAt) {
        return pricing.quote(tx, request.spec(), acceptedAt)
                .call(quote -> checkBudget(tx, request.tenantId(), quote))
                .call(quote -> ledger.append(tx, request.generationId(), request.tenantId(), LedgerKind.RESERVE,
                        quote, null, null, null))
                // A concurrent reservation of the same generation may have won the insert: answer with its row.
                .flatMap(quote -> ledger.find(tx, request.generationId(), LedgerKind.RESERVE)
                        .map(row -> row.map(LedgerEntry::quote).orElse(quote)));
    }

    /**
     * Makes sure the ledger holds the reservation a {@code GenerationReserved} event records: on the
     * live service the row exists already (billing granted it over REST before the dispatcher
     * published the event) and nothing changes; on a fresh service rebuilding its ledger from the
     * topic the row is written here. No budget check: admission decided when it happened, and a
     * replay reproduces history rather than judging it again.
     *
     * <p>The row takes its amount and price book version from the event, not from a new quote.
     * The event carries billing's own answer to the reservation, verbatim, so it is the original;
     * a quote "at acceptedAt" is only equal to it when this database knows every price book
     * version the original did, and versions added through the admin API live in the database,
     * not in the migrations, so a fresh database may lack them and would price at an older
     * version. The rate is the amount divided by the seconds, which is exact because the amount
     * was written as seconds × rate. The event is still checked against this service's own book:
     * a version it knows with a different rate is logged as an error (versions never change, so
     * that means a corrupt event or a corrupt book) and the event's amount is kept, since that is
     * what was held and what the settlement will charge.
     *
     * @param at the event's time (when the dispatcher recorded the grant), the row's time on a
     *           fresh service, so it counts in the same budget month; null means now
     * @return true when this call wrote the row
     * @throws InvalidReservationException (thrown, not as a failure) when the event cannot be a
     *                                     reservation billing granted: it is dead-lettered, not retried
     */
    public Uni<Boolean> restore(GenerationReserved event, String sourceEventId, Instant at) {
        Quote recorded = recordedQuote(event);
        return pool.withTransaction(tx -> ledger.lockGeneration(tx, event.generationId())
                .chain(() -> ledger.find(tx, event.generationId(), LedgerKind.RESERVE))
                .flatMap(existing -> {
                    if (existing.isPresent()) {
                        if (!existing.get().quote().equals(recorded)) {
                            LOG.warnf("GenerationReserved %s says %s but the ledger holds %s; the ledger is kept",
                                    sourceEventId, recorded, existing.get().quote());
                        }
                        return Uni.createFrom().item(false);
                    }
                    return crossCheck(tx, event, recorded)
                            // The REST path writes no source event or reason on a reservation; a
                            // rebuilt row is written the same way so the two ledgers are equal.
                            .chain(() -> ledger.append(tx, event.generationId(), event.tenantId(), LedgerKind.RESERVE,
                                    recorded, null, null, at))
                            .call(() -> releaseIfEnded(tx, event, recorded));
                }));
    }

    /**
     * The topic can hold a generation's end before its reservation (the dispatcher announces a
     * reservation granted while the cancellation was on its way): the end stands, so the
     * reservation is released as it is restored, as the live service did when the end arrived.
     */
    private Uni<Void> releaseIfEnded(SqlClient tx, GenerationReserved event, Quote recorded) {
        return ended.find(tx, event.generationId()).flatMap(end -> end.isEmpty()
                ? Uni.createFrom().voidItem()
                : ledger.append(tx, event.generationId(), event.tenantId(), LedgerKind.RELEASE, recorded,
                        end.get().sourceEventId(), end.get().reason(), end.get().at()).replaceWithVoid());
    }

    private Uni<Void> crossCheck(SqlClient tx, GenerationReserved event, Quote recorded) {
        return priceBooks.rateOf(tx, recorded.priceBookVersion(), recorded.modelFamily(), recorded.tier(),
                        AudioMode.of(event.spec()))
                .invoke(rate -> {
                    if (rate.isEmpty()) {
                        LOG.infof("price book %s does not price %s here; reservation of %s restored from its event",
                                recorded.priceBookVersion(), recorded.endpointId(), event.generationId());
                    } else if (rate.get() != recorded.rateMicrosPerSecond()) {
                        LOG.errorf("GenerationReserved of %s holds %d micro-dollars (%d/s) but price book %s has %d/s "
                                        + "for %s; the event's amount is kept", event.generationId(),
                                recorded.amountMicros(), recorded.rateMicrosPerSecond(), recorded.priceBookVersion(),
                                rate.get(), recorded.endpointId());
                    }
                })
                .replaceWithVoid();
    }

    /** The quote the original reservation wrote, rebuilt from the event alone. */
    static Quote recordedQuote(GenerationReserved event) {
        GenerationSpec spec = event.spec();
        if (spec == null || event.generationId() == null || event.tenantId() == null
                || event.priceBookVersion() == null || event.priceBookVersion().isBlank()) {
            throw new InvalidReservationException(event, "spec, generation, tenant and price book version are required");
        }
        KlingEndpoint endpoint = KlingEndpoint.byId(spec.endpointId()).orElse(null);
        if (endpoint == null || !endpoint.producesVideo()) {
            throw new InvalidReservationException(event, "not a priced Kling video endpoint: " + spec.endpointId());
        }
        if (spec.seconds() <= 0 || event.amountMicros() <= 0 || event.amountMicros() % spec.seconds() != 0) {
            throw new InvalidReservationException(event, "amount " + event.amountMicros()
                    + " is not a positive whole rate for " + spec.seconds() + " s");
        }
        return Quote.of(spec, spec.seconds(), event.amountMicros() / spec.seconds(), event.priceBookVersion());
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
