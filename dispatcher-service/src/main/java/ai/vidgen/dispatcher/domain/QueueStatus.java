package ai.vidgen.dispatcher.domain;

/**
 * Where a generation is in admission control.
 *
 * <pre>
 * RESERVING --reserved--> QUEUED --released--> DISPATCHED --terminal event--> DONE
 *     \--refused by billing--> REJECTED
 * (a cancellation before release also ends RESERVING or QUEUED in DONE)
 * </pre>
 */
public enum QueueStatus {
    /** Stored; its estimated cost is being reserved with billing (retried while billing is unavailable). */
    RESERVING,
    /** Reserved; waiting for a free slot under the in-flight limit. */
    QUEUED,
    /** Released to fal and not yet finished: it holds one in-flight slot. */
    DISPATCHED,
    /** Finished (completed, failed, cancelled or rejected downstream); its slot is free. */
    DONE,
    /** Billing refused the reservation; it never reached fal. */
    REJECTED
}
