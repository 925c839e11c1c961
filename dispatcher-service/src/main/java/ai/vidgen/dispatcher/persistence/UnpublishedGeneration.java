package ai.vidgen.dispatcher.persistence;

/**
 * A generation ended because the broker refused one of this service's events about it for good,
 * with what the replacing GenerationFailed needs: the tenant, the attempt, the stored trace.
 *
 * @param freedSlot true when it was DISPATCHED, so a slot came free
 */
public record UnpublishedGeneration(String tenantId, int attempt, String traceparent, boolean freedSlot) {
}
