package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.ReservationRequest;
import ai.vidgen.billing.service.Reservations;
import ai.vidgen.platform.auth.ServiceOnly;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Internal: the dispatcher reserves with its service token; so does every sub-route added here. */
@Path("/v1/reservations")
@ServiceOnly
public class ReservationResource {

    private final Reservations reservations;

    public ReservationResource(Reservations reservations) {
        this.reservations = reservations;
    }

    /**
     * Holds the estimate against the tenant's budget. Idempotent per generation id: a retry gets
     * the first reservation back. 402 {@code budget_exceeded}, 422 {@code no_price}, 409
     * {@code generation_ended} when the generation ended before it was reserved (nothing is held).
     */
    @POST
    public Uni<QuoteResponse> reserve(@NotNull @Valid ReservationRequest request) {
        return reservations.reserve(request).map(q -> QuoteResponse.of(request.generationId(), q));
    }
}
