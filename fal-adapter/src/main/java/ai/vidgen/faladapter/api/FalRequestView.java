package ai.vidgen.faladapter.api;

import ai.vidgen.faladapter.domain.TrackedRequest;
import java.time.Instant;

/**
 * What an operator sees of one generation attempt at fal. Never carries the fal key.
 *
 * @param traceparent the generation's trace, to find the attempt's spans and logs
 */
public record FalRequestView(
        String generationId,
        int attempt,
        String tenantId,
        String endpointId,
        String state,
        String falRequestId,
        String statusUrl,
        String responseUrl,
        String cancelUrl,
        Integer queuePosition,
        int pollCount,
        Instant nextPollAt,
        boolean submittedPublished,
        boolean terminalPublished,
        String errorType,
        String lastError,
        Boolean retryable,
        String traceparent) {

    static FalRequestView of(TrackedRequest row) {
        return new FalRequestView(row.generationId(), row.attempt(), row.tenantId(), row.endpointId(),
                row.state().name(), row.falRequestId(), row.statusUrl(), row.responseUrl(), row.cancelUrl(),
                row.queuePosition(), row.pollCount(), row.nextPollAt(), row.submittedPublished(),
                row.terminalPublished(), row.errorType(), row.lastError(), row.retryable(), row.traceparent());
    }
}
