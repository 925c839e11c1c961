package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationReserved;
import ai.vidgen.platform.messaging.RejectedEventException;

/**
 * A {@code GenerationReserved} event that cannot be a reservation billing granted (no spec, an
 * unpriced endpoint, an amount that is not seconds × a whole rate). Retrying cannot help, so it
 * is a {@link RejectedEventException}: the consumer template dead-letters the event at once with
 * this message as the reason, instead of retrying it for ever as it does transient failures.
 */
public class InvalidReservationException extends RejectedEventException {

    public InvalidReservationException(GenerationReserved event, String detail) {
        super("GenerationReserved of " + event.generationId() + " is not a reservation billing granted: " + detail);
    }
}
