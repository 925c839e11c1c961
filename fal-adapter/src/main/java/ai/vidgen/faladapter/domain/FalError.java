package ai.vidgen.faladapter.domain;

/**
 * A definite failure reported by fal (or by us for fal), as it goes into GenerationFailed.
 *
 * @param errorType  fal's machine type ({@code content_policy_violation}, {@code runner_server_error}, ...)
 *                   or ours ({@code connection_error}, {@code http_401}, ...)
 * @param message    a human message, never containing secrets
 * @param retryable  whether another attempt may succeed
 * @param httpStatus the HTTP status fal answered with, 0 when none
 */
public record FalError(String errorType, String message, boolean retryable, int httpStatus) {
}
