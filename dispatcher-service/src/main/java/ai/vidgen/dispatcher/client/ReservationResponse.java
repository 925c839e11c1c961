package ai.vidgen.dispatcher.client;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/** Billing's answer to a reservation it granted (the same answer for a repeated request). */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReservationResponse(
        String generationId,
        long amountMicros,
        long rateMicrosPerSecond,
        int seconds,
        String priceBookVersion) {
}
