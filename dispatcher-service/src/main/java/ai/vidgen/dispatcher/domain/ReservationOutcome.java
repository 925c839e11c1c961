package ai.vidgen.dispatcher.domain;

/** What came of one attempt to reserve a generation's estimated cost with billing. */
public sealed interface ReservationOutcome {

    /** Billing holds the amount; the generation may be queued. */
    record Reserved(long amountMicros, String priceBookVersion) implements ReservationOutcome {
    }

    /**
     * Billing refused for good (budget, missing price): the generation is rejected.
     *
     * @param reason a stable machine code, e.g. {@code budget_exceeded}, {@code no_price}
     */
    record Refused(String reason, String detail) implements ReservationOutcome {
    }

    /**
     * Billing already handled the generation's end (its cancellation overtook this reservation)
     * and holds nothing for it: the generation is over, not rejected.
     */
    record Ended(String detail) implements ReservationOutcome {
    }

    /** Billing could not answer (unreachable, timeout, 5xx): try again later, never reject. */
    record Unavailable(String cause) implements ReservationOutcome {
    }
}
