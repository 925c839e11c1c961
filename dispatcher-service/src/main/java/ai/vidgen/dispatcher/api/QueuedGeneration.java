package ai.vidgen.dispatcher.api;

import ai.vidgen.dispatcher.persistence.QueueEntry;
import java.time.OffsetDateTime;

/**
 * One generation waiting for a slot.
 *
 * @param position 1 is released next
 */
public record QueuedGeneration(
        long position,
        String generationId,
        String tenantId,
        String endpointId,
        int seconds,
        String priority,
        OffsetDateTime enqueuedAt,
        Long reservedMicros) {

    static QueuedGeneration of(QueueEntry e) {
        return new QueuedGeneration(e.position() == null ? 0 : e.position(), e.generationId(), e.tenantId(),
                e.endpointId(), e.seconds(), e.priority(), e.enqueuedAt(), e.reservedMicros());
    }
}
