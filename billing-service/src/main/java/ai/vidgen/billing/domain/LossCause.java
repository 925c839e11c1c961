package ai.vidgen.billing.domain;

/** Why fal's cost of a video is a loss rather than a charge to the tenant. */
public enum LossCause {
    /** fal rendered the video but it could not be archived: the tenant never gets it. */
    ARCHIVE_FAILED,
    /** fal completed after the reservation had been released (abandoned, cancelled, failed). */
    LATE_COMPLETION,
    /** The measured video is longer than its reservation: the seconds beyond it. */
    OVERRUN;

    /** The metric label: bounded, lower case. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
