package ai.vidgen.events;

import java.time.Instant;

/**
 * An operator corrected a generation's charge (a refund when negative). Billing writes the
 * CORRECTION ledger row and publishes this in the same request, so a billing-service rebuilt from
 * the topic holds the same corrections.
 *
 * @param correctionId the operator's id for it; a retry with the same id corrects once
 * @param amountMicros signed micro-dollars, never zero
 * @param correctedAt  when the correction was made; its ledger row carries this time
 */
public record ChargeCorrected(
        String generationId,
        String tenantId,
        String correctionId,
        long amountMicros,
        String reason,
        Instant correctedAt) implements GenerationEvent {

    @Override
    public String discriminator() {
        return correctionId;
    }
}
