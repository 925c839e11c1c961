package ai.vidgen.events;

import java.time.Instant;

/**
 * Admission reserved the generation's estimate with billing. Billing granted it synchronously;
 * this event records the fact on the lifecycle topic so the ledger can be rebuilt from the
 * topic alone, and so users see the amount held.
 *
 * @param acceptedAt       when the request-service accepted it: the price book in effect then applies
 * @param amountMicros     the amount held, in micro-dollars
 * @param priceBookVersion the price book version the estimate came from
 */
public record GenerationReserved(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        Instant acceptedAt,
        long amountMicros,
        String priceBookVersion) implements GenerationEvent {
}
