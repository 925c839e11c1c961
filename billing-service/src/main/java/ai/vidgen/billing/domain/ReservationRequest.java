package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationSpec;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Instant;

/**
 * @param acceptedAt when the request-service accepted the generation: it picks the price book
 *                   version, so a price change never reprices work already accepted
 */
public record ReservationRequest(
        @NotBlank String generationId,
        @NotBlank String tenantId,
        @NotNull @Valid GenerationSpec spec,
        Instant acceptedAt) {
}
