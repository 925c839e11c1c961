package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.domain.LossCause;
import ai.vidgen.billing.domain.Quote;
import ai.vidgen.billing.persistence.EndedUnreservedRepository;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import ai.vidgen.billing.persistence.OutcomeRepository;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Gives each generation exactly one money outcome: a SETTLE when its video was delivered (archived),
 * or a RELEASE when it ended without one. What fal charged us for a video the tenant does not pay
 * for is a {@code FAL_LOSS} row. The ledger's unique indexes decide (one row per kind, one outcome
 * per generation), so redelivered, duplicated or replayed events change nothing the second time.
 */
@ApplicationScoped
public class Settlements {

    private static final Logger LOG = Logger.getLogger(Settlements.class);

    /** The charge, and whether this call is the one that wrote it. */
    public record Settled(GenerationBilled billed, boolean firstTime) {
    }

    /**
     * What an archive outcome wrote or found.
     *
     * @param settled the charge, when the generation is settled (also on a redelivery, to announce it again)
     * @param released true when this call wrote the RELEASE
     * @param newLoss the FAL_LOSS row this call wrote, if it wrote one
     */
    public record Delivery(Optional<Settled> settled, boolean released, Optional<LedgerEntry> newLoss) {

        static final Delivery NOTHING = new Delivery(Optional.empty(), false, Optional.empty());
    }

    private final Pool pool;
    private final LedgerRepository ledger;
    private final OutcomeRepository outcomes;
    private final EndedUnreservedRepository ended;

    public Settlements(Pool pool, LedgerRepository ledger, OutcomeRepository outcomes,
            EndedUnreservedRepository ended) {
        this.pool = pool;
        this.ledger = ledger;
        this.outcomes = outcomes;
        this.ended = ended;
    }

    /**
     * The video is archived: the tenant got it. Charged at the reserved seconds, or at the measured
     * length where the output decides it, but never above the reservation: the seconds beyond it
     * are an {@link LossCause#OVERRUN} loss. After a release the tenant is not charged: fal's cost
     * is a {@link LossCause#LATE_COMPLETION} loss.
     *
     * @param at when the video was archived (its event's time); null means now
     */
    public Uni<Delivery> archived(String generationId, long durationMillis, String sourceEventId, Instant at) {
        return pool.withTransaction(tx -> ledger.find(tx, generationId, LedgerKind.RESERVE).flatMap(reserve -> {
            if (reserve.isEmpty()) {
                // Admission always reserves first; a charge with no reservation is an anomaly to
                // investigate, not a reason to invent a price.
                LOG.errorf("generation %s archived without a reservation; not settled", generationId);
                return Uni.createFrom().item(Delivery.NOTHING);
            }
            LedgerEntry reserved = reserve.get();
            Quote falCost = falCost(reserved.quote(), durationMillis);
            return ledger.outcome(tx, generationId).flatMap(outcome -> {
                if (outcome.isPresent() && outcome.get().kind() == LedgerKind.RELEASE) {
                    return loss(tx, reserved, LossCause.LATE_COMPLETION, falCost, sourceEventId,
                            "video archived after the reservation was released; fal charged "
                                    + falCost.seconds() + " s", at)
                            .map(loss -> new Delivery(Optional.empty(), false, loss));
                }
                return settle(tx, reserved, falCost, sourceEventId, at);
            });
        }));
    }

    /**
     * The video could not be archived: the tenant never gets it, so the reservation is given back,
     * and what fal charged for the render is a loss. A generation already charged (settled before
     * this failure, which storage does not do) keeps its charge and is logged for an operator.
     */
    public Uni<Delivery> archiveFailed(String generationId, String failure, String sourceEventId, Instant at) {
        return pool.withTransaction(tx -> ledger.find(tx, generationId, LedgerKind.RESERVE).flatMap(reserve -> {
            if (reserve.isEmpty()) {
                LOG.errorf("archive of %s failed and billing has no reservation for it; nothing to release", generationId);
                return Uni.createFrom().item(Delivery.NOTHING);
            }
            LedgerEntry reserved = reserve.get();
            return ledger.outcome(tx, generationId).flatMap(outcome -> {
                if (outcome.isPresent() && outcome.get().kind() == LedgerKind.SETTLE) {
                    LOG.errorf("archive of %s failed after it was charged %d micro-dollars; the charge stands, "
                            + "correct it through /v1/ledger/corrections if the tenant has no video",
                            generationId, outcome.get().amountMicros());
                    return Uni.createFrom().item(Delivery.NOTHING);
                }
                // Released earlier (abandoned, cancelled) and completed late: the loss is the late
                // completion's. The length was never measured, so fal's cost is taken at the
                // reserved seconds (exact for fixed-length endpoints, the upper bound otherwise).
                LossCause cause = outcome.isPresent() ? LossCause.LATE_COMPLETION : LossCause.ARCHIVE_FAILED;
                return ledger.append(tx, generationId, reserved.tenantId(), LedgerKind.RELEASE, reserved.quote(),
                                sourceEventId, "archive failed: " + failure, at)
                        .flatMap(released -> loss(tx, reserved, cause, reserved.quote(), sourceEventId,
                                "video never delivered (archive failed: " + failure + "); fal charged "
                                        + reserved.quote().seconds() + " s as reserved", at)
                                .map(loss -> new Delivery(Optional.empty(), released, loss)));
            });
        }));
    }

    /**
     * Gives the reservation back, unless the generation already has its outcome, or fal already
     * completed it: a render that exists is archived and delivered, so its archive outcome
     * decides (the request-service likewise treats a cancel after the render as too late).
     *
     * <p>A generation with no reservation yet (its cancellation overtook the dispatcher's call to
     * reserve) is marked ended, so that the reservation, when it comes, is refused or, rebuilt
     * from the topic, released at once.
     *
     * @return true when this call released it
     */
    public Uni<Boolean> release(String generationId, String tenantId, String reason, String sourceEventId,
            Instant at) {
        return pool.withTransaction(tx -> ledger.lockGeneration(tx, generationId)
                .chain(() -> ledger.find(tx, generationId, LedgerKind.RESERVE)).flatMap(reserve -> {
            if (reserve.isEmpty()) {
                return ended.record(tx, generationId, tenantId, reason, sourceEventId, at).replaceWith(false);
            }
            return outcomes.completed(tx, generationId).flatMap(completed -> {
                if (completed) {
                    LOG.infof("%s of %s not released: fal already rendered it, its archive decides the charge",
                            reason, generationId);
                    return Uni.createFrom().item(false);
                }
                return ledger.append(tx, generationId, reserve.get().tenantId(), LedgerKind.RELEASE,
                        reserve.get().quote(), sourceEventId, reason, at);
            });
        }));
    }

    /** Whether the generation's reservation was released (a completion now is late). */
    public Uni<Boolean> released(String generationId) {
        return ledger.outcome(pool, generationId).map(o -> o.map(e -> e.kind() == LedgerKind.RELEASE).orElse(false));
    }

    private Uni<Delivery> settle(SqlClient tx, LedgerEntry reserved, Quote falCost, String sourceEventId, Instant at) {
        String generationId = reserved.generationId();
        Quote limit = reserved.quote();
        boolean overrun = falCost.seconds() > limit.seconds();
        // The reservation is what admission held against the budget: charging more would pass the
        // budget behind its back, so the charge stops there and the rest is ours.
        Quote charge = overrun ? limit : falCost;
        return ledger.append(tx, generationId, reserved.tenantId(), LedgerKind.SETTLE, charge, sourceEventId, null, at)
                .flatMap(inserted -> {
                    Uni<Optional<LedgerEntry>> loss = overrun
                            ? loss(tx, reserved, LossCause.OVERRUN, limit.forSeconds(falCost.seconds() - limit.seconds()),
                                    sourceEventId, "measured " + falCost.seconds() + " s, reserved " + limit.seconds()
                                            + " s: the seconds beyond the reservation are not charged", at)
                            : Uni.createFrom().item(Optional.empty());
                    return loss.flatMap(newLoss -> ledger.find(tx, generationId, LedgerKind.SETTLE)
                            .map(settled -> new Delivery(settled.map(e -> new Settled(billed(e), inserted)), false,
                                    newLoss)));
                });
    }

    private Uni<Optional<LedgerEntry>> loss(SqlClient tx, LedgerEntry reserved, LossCause cause, Quote amount,
            String sourceEventId, String reason, Instant at) {
        // The cause leads the reason too: the ledger's API shows the reason, the column feeds the metrics.
        return ledger.appendLoss(tx, reserved.generationId(), reserved.tenantId(), cause, amount, sourceEventId,
                        cause.name() + ": " + reason, at)
                .flatMap(inserted -> inserted
                        ? ledger.find(tx, reserved.generationId(), LedgerKind.FAL_LOSS)
                        : Uni.createFrom().item(Optional.<LedgerEntry>empty()));
    }

    /**
     * What fal charges for the delivered video: the reserved seconds for an endpoint whose request
     * fixes the length, the measured length (whole seconds, rounded up) where the output decides it.
     */
    private static Quote falCost(Quote reserved, long durationMillis) {
        boolean measured = KlingEndpoint.byId(reserved.endpointId()).map(KlingEndpoint::outputDecidesDuration)
                .orElse(false);
        if (!measured) {
            return reserved;
        }
        int seconds = (int) Math.max(1, (durationMillis + 999) / 1000);
        return reserved.forSeconds(seconds);
    }

    private static GenerationBilled billed(LedgerEntry entry) {
        Quote q = entry.quote();
        return new GenerationBilled(entry.generationId(), entry.tenantId(), q.amountMicros(), q.rateMicrosPerSecond(),
                q.seconds(), q.modelFamily(), q.tier(), q.audio(), q.voiceControl(), q.priceBookVersion());
    }
}
