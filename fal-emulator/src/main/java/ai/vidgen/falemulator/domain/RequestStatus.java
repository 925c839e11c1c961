package ai.vidgen.falemulator.domain;

/** The only three states fal's queue reports; failure and cancellation are COMPLETED with an error. */
public enum RequestStatus {
    IN_QUEUE,
    IN_PROGRESS,
    COMPLETED
}
