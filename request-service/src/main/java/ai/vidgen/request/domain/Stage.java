package ai.vidgen.request.domain;

/**
 * A step of a generation's life as the timeline shows it, one per kind of event.
 *
 * <p>{@link #rank} orders the steps of one attempt: an event whose (attempt, rank) lies behind
 * what the read model already shows is late and must not move the status back.
 */
public enum Stage {
    REQUESTED("requested", 10),
    DISPATCHED("dispatched", 20),
    SUBMITTED("submitted", 30),
    IN_QUEUE("in_queue", 40),
    IN_PROGRESS("in_progress", 50),
    FAILED("failed", 60),
    RENDERED("rendered", 70),
    CANCELLED("cancelled", 75),
    REJECTED("rejected", 75),
    /** The dispatcher gave up after retryable failures ran out of attempts. */
    ABANDONED("abandoned", 75),
    ARCHIVED("archived", 80),
    ARCHIVE_FAILED("archive_failed", 80),
    /** Money, not progress: it never changes the status and may come before or after archiving. */
    BILLED("billed", 0),
    /** Billing holds the estimate (GenerationReserved): money, not progress. */
    RESERVED("reserved", 0),
    /** The owner asked to cancel; the status stays until the outcome arrives. */
    CANCEL_REQUESTED("cancel_requested", 0);

    private final String wire;
    private final int rank;

    Stage(String wire, int rank) {
        this.wire = wire;
        this.rank = rank;
    }

    public String wire() {
        return wire;
    }

    public int rank() {
        return rank;
    }
}
