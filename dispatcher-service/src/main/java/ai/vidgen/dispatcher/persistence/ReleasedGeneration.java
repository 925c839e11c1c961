package ai.vidgen.dispatcher.persistence;

import ai.vidgen.events.GenerationSpec;

/** A generation just marked DISPATCHED, with what its GenerationDispatched event carries. */
public record ReleasedGeneration(
        String generationId,
        String tenantId,
        GenerationSpec spec,
        String inputJson,
        int attempt,
        String falPriority) {
}
