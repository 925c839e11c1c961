package ai.vidgen.faladapter.domain;

import ai.vidgen.events.GenerationSpec;
import java.time.Instant;

/**
 * An immutable snapshot of one {@code fal_requests} row, as the submitter and poller work with it.
 *
 * @param traceparent the W3C trace context of the generation, recorded at submit; what is done and
 *                    published later for the attempt continues it (null on rows older than it)
 */
public record TrackedRequest(
        long id,
        String generationId,
        int attempt,
        String tenantId,
        GenerationSpec spec,
        String falPriority,
        FalRequestState state,
        String falRequestId,
        String statusUrl,
        String responseUrl,
        String cancelUrl,
        Integer queuePosition,
        int logLinesSeen,
        int pollCount,
        int pollFailures,
        int resultAttempts,
        Instant nextPollAt,
        boolean submittedPublished,
        boolean terminalPublished,
        String errorType,
        String lastError,
        Boolean retryable,
        boolean cancelRequested,
        boolean cancelSent,
        Boolean cancelBeforeStart,
        String traceparent) {

    public String endpointId() {
        return spec.endpointId();
    }

    /** This snapshot after fal took our cancel, the request still {@code IN_QUEUE} or not. */
    public TrackedRequest withCancelSent(boolean beforeStart) {
        return new TrackedRequest(id, generationId, attempt, tenantId, spec, falPriority, state, falRequestId,
                statusUrl, responseUrl, cancelUrl, queuePosition, logLinesSeen, pollCount, pollFailures,
                resultAttempts, nextPollAt, submittedPublished, terminalPublished, errorType, lastError, retryable,
                true, true, beforeStart, traceparent);
    }
}
