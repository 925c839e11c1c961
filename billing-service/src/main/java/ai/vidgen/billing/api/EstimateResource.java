package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.Pricing;
import ai.vidgen.events.GenerationSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import java.time.Instant;

@Path("/v1/estimates")
public class EstimateResource {

    private final Pool pool;
    private final Pricing pricing;

    public EstimateResource(Pool pool, Pricing pricing) {
        this.pool = pool;
        this.pricing = pricing;
    }

    /** What a generation would cost if accepted now; reserves nothing. */
    @POST
    public Uni<QuoteResponse> estimate(@NotNull @Valid GenerationSpec spec) {
        return pricing.quote(pool, spec, Instant.now()).map(q -> QuoteResponse.of(null, q));
    }
}
