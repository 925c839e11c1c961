package ai.vidgen.request.client;

import ai.vidgen.platform.auth.ServiceTokenHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * billing-service's HTTP API, as far as the front door uses it. URL: {@code quarkus.rest-client.billing.url}.
 * Billing's routes are internal: every call carries {@code Authorization: Bearer <service token>}
 * (the first of {@code vidgen.auth.service-tokens}).
 */
@RegisterRestClient(configKey = "billing")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/v1")
public interface BillingClient {

    @POST
    @Path("/estimates")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    Uni<EstimateResponse> estimate(EstimateRequest request);

    /** A 422 problem is billing's definitive "no": keep its machine reason instead of a bare status. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        if (response.getStatus() != 422) {
            return null;
        }
        String reason = "unpriceable";
        String detail = "billing-service refused to estimate this generation";
        try {
            JsonNode problem = new ObjectMapper().readTree(response.readEntity(String.class));
            reason = problem.path("reason").asText(reason);
            detail = problem.path("detail").asText(detail);
        } catch (Exception unreadable) {
            // keep the generic reason: the status alone is billing's answer
        }
        return new EstimateRefusedException(reason, detail);
    }
}
