package ai.vidgen.storage.domain;

import java.util.Locale;

/**
 * Why a video could not be archived. The code goes into {@code ArchiveFailed.reason} and the
 * failures metric, so it is stable and machine-readable (snake_case like the other events' reasons).
 *
 * <p>{@code retryable} says whether another download of the same URL may succeed: a cut-off or
 * garbled transfer may, a URL we refuse to fetch never will.
 */
public enum FailureReason {
    /** The event cannot be archived as given (ids unusable as an object key, no URL). */
    INVALID_EVENT(false),
    INVALID_URL(false),
    HOST_NOT_ALLOWED(false),
    INSECURE_URL(false),
    REDIRECT_NOT_ALLOWED(false),
    TOO_MANY_REDIRECTS(false),
    /** The CDN answered with an error status; 5xx, 408 and 429 are retried, the rest are not. */
    HTTP_STATUS(false),
    DOWNLOAD_FAILED(true),
    DOWNLOAD_TIMEOUT(true),
    /** Fewer bytes than announced arrived, or the MP4 ends in the middle of a box. */
    TRUNCATED(true),
    /** The byte count differs from the size fal announced in the event. */
    SIZE_MISMATCH(true),
    /** The SHA-256 differs from the one announced with the completion (when one was). */
    CHECKSUM_MISMATCH(true),
    TOO_LARGE(false),
    NOT_MP4(true),
    CORRUPT_MP4(true),
    /** The generation is already recorded for another tenant. */
    TENANT_MISMATCH(false);

    private final boolean retryable;

    FailureReason(boolean retryable) {
        this.retryable = retryable;
    }

    public boolean retryable() {
        return retryable;
    }

    public String code() {
        return name().toLowerCase(Locale.ROOT);
    }
}
