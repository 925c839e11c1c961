package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.ConflictException;
import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.domain.UnknownGenerationException;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import ai.vidgen.events.ChargeCorrected;
import ai.vidgen.platform.messaging.EventPublisher;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/**
 * Operators' corrections of a generation's charge: a CORRECTION row with the generation's
 * dimensions, appended once per correction id, never an update in place. The same rule serves
 * the admin API and a replay of {@link ChargeCorrected} events.
 */
@ApplicationScoped
public class Corrections {

    /** What was recorded under a correction id, and whether this call recorded it. */
    public record Recorded(LedgerEntry row, boolean firstTime) {

        /** True when the row is the one the correction asks for (and not another reusing its id). */
        public boolean matches(ChargeCorrected correction) {
            return row.generationId().equals(correction.generationId()) && row.amountMicros() == correction.amountMicros()
                    && row.reason().equals(correction.reason());
        }

        public ChargeCorrected asEvent(String correctionId) {
            return new ChargeCorrected(row.generationId(), row.tenantId(), correctionId, row.amountMicros(), row.reason(),
                    row.createdAt());
        }
    }

    private final Pool pool;
    private final LedgerRepository ledger;
    private final EventPublisher publisher;

    public Corrections(Pool pool, LedgerRepository ledger, EventPublisher publisher) {
        this.pool = pool;
        this.ledger = ledger;
        this.publisher = publisher;
    }

    /**
     * An operator's correction: recorded once per correction id, and answered only once it is on
     * the topic too, so a billing-service rebuilt from the topic holds it. A retry with the same
     * id publishes the same event again (same CloudEvent id), and writes nothing.
     *
     * @return the correction row, and whether this call wrote it; fails with
     *         {@link UnknownGenerationException} or {@link ConflictException} ({@code correction_id_reused})
     */
    public Uni<Recorded> correct(ChargeCorrected asked) {
        return record(asked)
                .map(recorded -> recorded.orElseThrow(() -> new UnknownGenerationException(asked.generationId())))
                .invoke(recorded -> {
                    if (!recorded.matches(asked)) {
                        throw new ConflictException("correction_id_reused",
                                "correction " + asked.correctionId() + " exists with other content");
                    }
                })
                .call(recorded -> publisher.publish(recorded.asEvent(asked.correctionId())));
    }

    /**
     * Appends the correction against the generation's charge, or its reservation when it has not
     * settled. Empty when the ledger does not know the generation.
     */
    public Uni<Optional<Recorded>> record(ChargeCorrected correction) {
        return pool.withTransaction(tx -> ledger.find(tx, correction.generationId(), LedgerKind.SETTLE)
                .flatMap(settled -> settled.isPresent() ? Uni.createFrom().item(settled)
                        : ledger.find(tx, correction.generationId(), LedgerKind.RESERVE))
                .flatMap(basis -> basis.isEmpty()
                        ? Uni.createFrom().item(Optional.<Recorded>empty())
                        : ledger.appendCorrection(tx, sourceId(correction.correctionId()), basis.get(),
                                        correction.amountMicros(), correction.reason(), correction.correctedAt())
                                .map(appended -> Optional.of(new Recorded(appended.getKey(), appended.getValue())))));
    }

    /** The ledger's source id of a correction: unique among corrections. */
    static String sourceId(String correctionId) {
        return "correction:" + correctionId;
    }
}
