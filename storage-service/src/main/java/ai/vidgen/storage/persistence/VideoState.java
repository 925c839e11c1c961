package ai.vidgen.storage.persistence;

import ai.vidgen.storage.domain.VideoStatus;
import java.time.Instant;

/** What the worker needs to know of a {@code videos} row before it archives. */
public record VideoState(String generationId, String tenantId, int attempt, VideoStatus status,
        Instant firstAttemptAt) {
}
