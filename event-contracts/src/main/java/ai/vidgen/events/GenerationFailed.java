package ai.vidgen.events;

/**
 * One attempt failed.
 *
 * @param errorType fal's error type (e.g. {@code content_policy_violation}) or ours
 *                  (e.g. {@code connection_error})
 * @param retryable whether another attempt may succeed; the dispatcher decides whether to make one
 */
public record GenerationFailed(
        String generationId,
        String tenantId,
        int attempt,
        String errorType,
        String message,
        boolean retryable) implements AttemptEnded {
}
