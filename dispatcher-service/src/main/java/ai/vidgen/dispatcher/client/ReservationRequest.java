package ai.vidgen.dispatcher.client;

import java.time.Instant;

/** Body of billing's {@code POST /v1/reservations}. */
public record ReservationRequest(String generationId, String tenantId, Spec spec, Instant acceptedAt) {

    public record Spec(String endpointId, int seconds, boolean audio, boolean voiceControl) {
    }
}
