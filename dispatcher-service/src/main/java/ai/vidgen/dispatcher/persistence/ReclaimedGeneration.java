package ai.vidgen.dispatcher.persistence;

/**
 * A generation whose slot was reclaimed: dispatched longer than {@code dispatcher.reclaim-after}
 * without a terminal event. {@code attempt} is the attempt that was in flight; {@code traceparent}
 * the generation's trace as stored with it, or null.
 */
public record ReclaimedGeneration(String generationId, String tenantId, int attempt, String traceparent) {
}
