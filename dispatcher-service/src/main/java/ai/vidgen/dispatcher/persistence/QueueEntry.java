package ai.vidgen.dispatcher.persistence;

import java.time.OffsetDateTime;

/** One row of the queue table, for the admin view. */
public record QueueEntry(
        String generationId,
        String tenantId,
        String endpointId,
        int seconds,
        boolean audio,
        boolean voiceControl,
        String priority,
        String falPriority,
        String status,
        int attempt,
        OffsetDateTime deadline,
        OffsetDateTime acceptedAt,
        OffsetDateTime enqueuedAt,
        int reserveAttempts,
        OffsetDateTime nextReserveAt,
        OffsetDateTime reservedAt,
        Long reservedMicros,
        String priceBookVersion,
        String rejectReason,
        String rejectDetail,
        String outcome,
        OffsetDateTime dispatchedAt,
        OffsetDateTime finishedAt,
        boolean draft,
        String requestedEndpointId,
        OffsetDateTime retryAt,
        String lastErrorType,
        String lastErrorMessage,
        Long position) {
}
