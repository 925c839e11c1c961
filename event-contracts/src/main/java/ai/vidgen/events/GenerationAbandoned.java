package ai.vidgen.events;

/**
 * The dispatcher gave up on a generation after transient failures: the last attempt failed with
 * a retryable error and no attempt is left (or the deadline passed before the next one could
 * start). Final: nothing is charged and the reservation is released.
 *
 * @param attempts  how many attempts were made
 * @param errorType the last attempt's error type
 */
public record GenerationAbandoned(String generationId, String tenantId, int attempts, String errorType, String message)
        implements GenerationEvent {

    @Override
    public boolean endsFalWork() {
        return true;
    }
}
