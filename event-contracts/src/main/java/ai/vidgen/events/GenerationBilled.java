package ai.vidgen.events;

/**
 * The generation's charge was settled in the ledger. Money is integer micro-dollars.
 *
 * @param amountMicros          the charge, e.g. 1_120_000 for $1.12
 * @param rateMicrosPerSecond   the per-second rate that applied
 * @param billedSeconds         the seconds charged
 * @param priceBookVersion      the price book version in effect when the generation was accepted
 */
public record GenerationBilled(
        String generationId,
        String tenantId,
        long amountMicros,
        long rateMicrosPerSecond,
        int billedSeconds,
        String modelFamily,
        String tier,
        boolean audio,
        boolean voiceControl,
        String priceBookVersion) implements GenerationEvent {
}
