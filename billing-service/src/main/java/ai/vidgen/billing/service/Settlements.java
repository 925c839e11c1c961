package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.domain.Quote;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.jboss.logging.Logger;

/**
 * Turns reservations into charges or gives them back, once per generation whatever the events
 * do: the ledger's unique index decides, so redelivered, duplicated or reordered events change
 * nothing the second time.
 */
@ApplicationScoped
public class Settlements {

    private static final Logger LOG = Logger.getLogger(Settlements.class);

    /** The outcome of a settlement: the charge, and whether this call is the one that wrote it. */
    public record Settled(GenerationBilled billed, boolean firstTime) {
    }

    private final Pool pool;
    private final LedgerRepository ledger;

    public Settlements(Pool pool, LedgerRepository ledger) {
        this.pool = pool;
        this.ledger = ledger;
    }

    /**
     * Settles at the reserved seconds: for endpoints whose requested duration is what fal bills.
     *
     * @param at when the completion happened (its event's time); null means now
     */
    public Uni<Optional<Settled>> settleAsReserved(String generationId, String sourceEventId, Instant at) {
        return settle(generationId, sourceEventId, UnaryOperator.identity(), at);
    }

    /** Settles at the measured length of the archived video (motion control, video-to-video). */
    public Uni<Optional<Settled>> settleMeasured(String generationId, long durationMillis, String sourceEventId,
            Instant at) {
        int seconds = (int) Math.max(1, (durationMillis + 999) / 1000);
        return settle(generationId, sourceEventId, quote -> quote.forSeconds(seconds), at);
    }

    /** Whether the generation's reservation is for an endpoint whose output decides its length. */
    public Uni<Optional<Boolean>> billsMeasuredDuration(String generationId) {
        return ledger.find(pool, generationId, LedgerKind.RESERVE).map(reserve -> reserve.map(entry ->
                KlingEndpoint.byId(entry.quote().endpointId()).map(KlingEndpoint::outputDecidesDuration).orElse(false)));
    }

    private Uni<Optional<Settled>> settle(String generationId, String sourceEventId, UnaryOperator<Quote> price,
            Instant at) {
        return pool.withTransaction(tx -> ledger.find(tx, generationId, LedgerKind.RESERVE).flatMap(reserve -> {
            if (reserve.isEmpty()) {
                // Admission always reserves first; a charge with no reservation is an anomaly to
                // investigate, not a reason to invent a price.
                LOG.errorf("generation %s completed without a reservation; not settled", generationId);
                return Uni.createFrom().item(Optional.<Settled>empty());
            }
            LedgerEntry reserved = reserve.get();
            return ledger.append(tx, generationId, reserved.tenantId(), LedgerKind.SETTLE,
                            price.apply(reserved.quote()), sourceEventId, null, at)
                    .flatMap(inserted -> ledger.find(tx, generationId, LedgerKind.SETTLE)
                            .map(settled -> settled.map(entry -> new Settled(billed(entry), inserted))));
        }));
    }

    /**
     * Gives the reservation back; a generation already charged keeps its charge.
     *
     * @return true when this call released it
     */
    public Uni<Boolean> release(String generationId, String reason, String sourceEventId, Instant at) {
        return pool.withTransaction(tx -> ledger.find(tx, generationId, LedgerKind.RESERVE).flatMap(reserve -> {
            if (reserve.isEmpty()) {
                return Uni.createFrom().item(false);
            }
            return ledger.find(tx, generationId, LedgerKind.SETTLE).flatMap(settled -> settled.isPresent()
                    ? Uni.createFrom().item(false)
                    : ledger.append(tx, generationId, reserve.get().tenantId(), LedgerKind.RELEASE,
                            reserve.get().quote(), sourceEventId, reason, at));
        }));
    }

    private static GenerationBilled billed(LedgerEntry entry) {
        Quote q = entry.quote();
        return new GenerationBilled(entry.generationId(), entry.tenantId(), q.amountMicros(), q.rateMicrosPerSecond(),
                q.seconds(), q.modelFamily(), q.tier(), q.audio(), q.voiceControl(), q.priceBookVersion());
    }
}
