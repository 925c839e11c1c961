package ai.vidgen.billing.api;

import ai.vidgen.billing.service.Pricing;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.platform.auth.ServiceOnly;
import io.smallrye.mutiny.Uni;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;

/** Internal: the request-service asks for estimates with its service token. */
@Path("/v1/estimates")
@ServiceOnly
public class EstimateResource {

    private final Pricing pricing;

    public EstimateResource(Pricing pricing) {
        this.pricing = pricing;
    }

    /** What a generation would cost if accepted now; reserves nothing. 422 {@code no_price}. */
    @POST
    public Uni<QuoteResponse> estimate(@NotNull @Valid GenerationSpec spec) {
        return pricing.estimate(spec).map(q -> QuoteResponse.of(null, q));
    }
}
