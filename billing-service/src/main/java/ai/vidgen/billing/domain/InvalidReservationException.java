package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationReserved;

/**
 * A {@code GenerationReserved} event that cannot be a reservation billing granted (no spec, an
 * unpriced endpoint, an amount that is not seconds × a whole rate). Retrying cannot help: the
 * consumer lets it go to the dead-letter topic with this message as the reason.
 */
public class InvalidReservationException extends RuntimeException {

    public InvalidReservationException(GenerationReserved event, String detail) {
        super("GenerationReserved of " + event.generationId() + " is not a reservation billing granted: " + detail);
    }
}
