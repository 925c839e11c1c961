package ai.vidgen.events;

import java.time.Instant;

/**
 * The owner asked to cancel a generation (over HTTP or a Kafka command). It is a request, not
 * an outcome: the dispatcher answers it with {@link GenerationCancelled} when the generation was
 * still waiting for admission; once dispatched, the fal-adapter cancels it at fal and publishes
 * what fal answered. A generation that already ended ignores it.
 */
public record GenerationCancelRequested(String generationId, String tenantId, String reason, Instant requestedAt)
        implements GenerationEvent {
}
