package ai.vidgen.dispatcher.api;

import ai.vidgen.dispatcher.persistence.QueueEntry;
import java.time.OffsetDateTime;

/** Where one generation is in admission control. */
public record GenerationState(
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
        String lastErrorMessage) {

    static GenerationState of(QueueEntry e) {
        return new GenerationState(e.generationId(), e.tenantId(), e.endpointId(), e.seconds(), e.audio(),
                e.voiceControl(), e.priority(), e.falPriority(), e.status(), e.attempt(), e.deadline(),
                e.acceptedAt(), e.enqueuedAt(), e.reserveAttempts(), e.nextReserveAt(), e.reservedAt(),
                e.reservedMicros(), e.priceBookVersion(), e.rejectReason(), e.rejectDetail(), e.outcome(),
                e.dispatchedAt(), e.finishedAt(), e.draft(), e.requestedEndpointId(), e.retryAt(), e.lastErrorType(),
                e.lastErrorMessage());
    }
}
