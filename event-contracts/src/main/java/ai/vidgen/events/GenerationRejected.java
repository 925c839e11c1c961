package ai.vidgen.events;

/**
 * Admission refused a generation before anything was spent.
 *
 * @param reason a stable machine code, e.g. {@code budget_exceeded}, {@code no_price}
 */
public record GenerationRejected(String generationId, String tenantId, String reason, String message)
        implements GenerationEvent {

    @Override
    public boolean endsFalWork() {
        return true;
    }
}
