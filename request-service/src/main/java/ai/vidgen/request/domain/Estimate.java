package ai.vidgen.request.domain;

/**
 * What billing expects a generation to cost, answered at acceptance. Admission reserves its own
 * estimate later; this one informs the client.
 */
public record Estimate(long amountMicros, long rateMicrosPerSecond, int seconds, String priceBookVersion) {
}
