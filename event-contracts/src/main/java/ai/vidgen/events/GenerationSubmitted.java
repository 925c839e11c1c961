package ai.vidgen.events;

/** fal accepted the submission of one attempt and gave it a request id. */
public record GenerationSubmitted(String generationId, String tenantId, int attempt, String falRequestId)
        implements GenerationEvent {

    @Override
    public String discriminator() {
        return Integer.toString(attempt);
    }
}
