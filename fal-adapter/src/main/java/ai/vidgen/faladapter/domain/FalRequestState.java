package ai.vidgen.faladapter.domain;

/** Where one generation attempt stands with fal, as stored in {@code fal_requests.state}. */
public enum FalRequestState {
    /** The intent is recorded; the submit is under way or its answer was lost. */
    SUBMITTING,
    /** fal accepted the request and holds it in its queue. */
    IN_QUEUE,
    /** A fal runner is working on it. */
    IN_PROGRESS,
    /** The output is known and GenerationCompleted was acknowledged by the broker. */
    COMPLETED,
    /** The attempt failed and GenerationFailed is (or is about to be) published. */
    FAILED,
    /** fal cancelled the request at our asking and GenerationCancelled was acknowledged by the broker. */
    CANCELLED,
    /**
     * The generation was ended by someone else (the dispatcher abandoned or reclaimed it) while
     * this attempt was open: no longer tracked, and nothing more is published for it, so the
     * generation keeps the one terminal outcome it was given.
     */
    ABANDONED,
    /**
     * We cannot tell whether fal received the submit (its answer was lost). Never resubmitted
     * automatically; its webhook or the lost-reply grace resolves it.
     */
    NEEDS_ATTENTION;

    /** States the poller tracks. */
    public boolean isTracked() {
        return this == IN_QUEUE || this == IN_PROGRESS;
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED || this == ABANDONED;
    }

    /** Maps fal's queue status ({@code IN_QUEUE}, {@code IN_PROGRESS}) to ours. */
    public static FalRequestState ofFalStatus(String falStatus) {
        return switch (falStatus) {
            case "IN_QUEUE" -> IN_QUEUE;
            case "IN_PROGRESS" -> IN_PROGRESS;
            case "COMPLETED" -> COMPLETED;
            default -> throw new IllegalArgumentException("not a fal queue status: " + falStatus);
        };
    }
}
