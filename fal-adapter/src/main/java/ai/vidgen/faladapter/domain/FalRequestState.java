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
     * We cannot tell what fal did (a submit without an answer, a request fal no longer knows).
     * Never resubmitted automatically; an operator or the webhook recovery resolves it.
     */
    NEEDS_ATTENTION;

    /** States the poller tracks. */
    public boolean isTracked() {
        return this == IN_QUEUE || this == IN_PROGRESS;
    }

    public boolean isTerminal() {
        return this == COMPLETED || this == FAILED || this == CANCELLED;
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
