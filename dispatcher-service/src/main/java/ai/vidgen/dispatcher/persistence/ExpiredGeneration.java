package ai.vidgen.dispatcher.persistence;

/**
 * A waiting generation whose deadline passed. {@code attempt} 0: it never ran (cancelled,
 * deadline_passed); otherwise it was waiting for a retry of a failed attempt (abandoned).
 * {@code traceparent} is the generation's trace as stored with it, or null.
 */
public record ExpiredGeneration(
        String generationId,
        String tenantId,
        int attempt,
        String lastErrorType,
        String lastErrorMessage,
        String traceparent) {
}
