package ai.vidgen.falemulator.domain;

/** The three answers fal's cancel call gives. */
public enum CancelResult {
    CANCELLATION_REQUESTED,
    ALREADY_COMPLETED,
    NOT_FOUND
}
