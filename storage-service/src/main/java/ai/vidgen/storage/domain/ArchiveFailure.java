package ai.vidgen.storage.domain;

/**
 * A failure of the video itself (its URL, its transfer, its bytes), as opposed to a failure of our
 * infrastructure. These end, after the retries they deserve, in an {@code ArchiveFailed} event;
 * infrastructure failures are retried until they pass instead.
 */
public class ArchiveFailure extends RuntimeException {

    private final FailureReason reason;
    private final boolean retryable;

    public ArchiveFailure(FailureReason reason, String message) {
        this(reason, message, reason.retryable(), null);
    }

    public ArchiveFailure(FailureReason reason, String message, boolean retryable, Throwable cause) {
        // No stack trace: these are expected outcomes, and the message says everything.
        super(message, cause, false, false);
        this.reason = reason;
        this.retryable = retryable;
    }

    public FailureReason reason() {
        return reason;
    }

    public boolean retryable() {
        return retryable;
    }

    public static boolean isRetryable(Throwable t) {
        return t instanceof ArchiveFailure f && f.retryable;
    }
}
