package ai.vidgen.dispatcher.persistence;

/**
 * A generation this service just ended (cancelled before dispatch, abandoned), with what its
 * announcement needs: the tenant, and the generation's trace as stored with it (or null).
 */
public record EndedGeneration(String tenantId, String traceparent) {
}
