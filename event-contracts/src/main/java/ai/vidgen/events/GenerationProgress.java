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

    /**
     * Progress is reported when fal's status or queue position changes, so that change is what
     * makes it unique: a re-publish of the same report keeps its id, the next change gets a new one.
     */
    @Override
    public String discriminator() {
        return attempt + ":" + falStatus + (queuePosition == null ? "" : ":" + queuePosition);
    }
}
