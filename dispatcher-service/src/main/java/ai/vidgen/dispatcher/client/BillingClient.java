package ai.vidgen.dispatcher.client;

import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.auth.ServiceTokenHeaders;
import ai.vidgen.platform.problem.Problem;
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
 * billing-service's reservation API (base URL: {@code quarkus.rest-client.billing.url}), an internal
 * route: every call carries {@code Authorization: Bearer <service token>} (the first of
 * {@code vidgen.auth.service-tokens}). A 401 has no {@code reason}, so it is retried, never a rejection.
 */
@RegisterRestClient(configKey = "billing")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/v1/reservations")
public interface BillingClient {

    /** Reserves a generation's estimated cost; idempotent per generation id. */
    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces({MediaType.APPLICATION_JSON, "application/problem+json"})
    Uni<ReservationResponse> reserve(ReservationRequest request);

    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        if (response.getStatus() < 400) {
            return null;
        }
        Problem problem = null;
        try {
            String body = response.readEntity(String.class);
            if (body != null && !body.isBlank()) {
                // Only reason, detail and title are read: the reason is what the contract fixes.
                problem = EventCodec.mapper().readValue(body, Problem.class);
            }
        } catch (Exception notProblemJson) {
            // An HTML error page from a proxy, say: the status alone decides.
        }
        return new BillingHttpException(response.getStatus(), problem);
    }
}
