package ai.vidgen.events;

import java.util.List;

/**
 * fal reported progress.
 *
 * @param falStatus     {@code IN_QUEUE} or {@code IN_PROGRESS}
 * @param queuePosition requests ahead of this one while queued, otherwise null
 * @param newLogLines   log lines not reported before
 */
public record GenerationProgress(
        String generationId,
        String tenantId,
        int attempt,
        String falStatus,
        Integer queuePosition,
        List<String> newLogLines) implements GenerationEvent {
}
