package ai.vidgen.events;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Admission released a generation to fal.
 *
 * @param attempt      1 for the first submission; a retry after a transient failure counts up
 * @param falPriority  fal's queue priority header value: {@code normal} or {@code low}
 */
public record GenerationDispatched(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        ObjectNode input,
        int attempt,
        String falPriority) implements GenerationEvent {

    @Override
    public String discriminator() {
        return Integer.toString(attempt);
    }
}
