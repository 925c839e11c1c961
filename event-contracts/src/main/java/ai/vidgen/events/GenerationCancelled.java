package ai.vidgen.events;

/**
 * The generation was cancelled.
 *
 * @param beforeStart true when fal never started it (an abort, never billed)
 */
public record GenerationCancelled(String generationId, String tenantId, String reason, boolean beforeStart)
        implements GenerationEvent {

    @Override
    public boolean endsFalWork() {
        return true;
    }
}
