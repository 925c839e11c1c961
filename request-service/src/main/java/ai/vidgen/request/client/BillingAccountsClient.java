package ai.vidgen.request.client;

import ai.vidgen.platform.auth.ServiceTokenHeaders;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.quarkus.rest.client.reactive.ClientExceptionMapper;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import org.eclipse.microprofile.rest.client.annotation.RegisterClientHeaders;
import org.eclipse.microprofile.rest.client.inject.RegisterRestClient;

/**
 * billing-service's tenant reads (usage, budget, ledger), which the front door serves to each
 * tenant for itself. The same service as {@link BillingClient} ({@code quarkus.rest-client.billing.*}),
 * and like it every call carries {@code Authorization: Bearer <service token>}: billing opens these
 * routes to the platform's services, which decide the tenant, not to tenants.
 */
@RegisterRestClient(configKey = "billing")
@RegisterClientHeaders(ServiceTokenHeaders.class)
@Path("/v1")
public interface BillingAccountsClient {

    @GET
    @Path("/usage")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<BillingUsage> usage(@QueryParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("groupBy") String groupBy);

    /** The same report as CSV ({@code Accept: text/csv}), rendered by billing. */
    @GET
    @Path("/usage")
    @Produces(BillingUsage.CSV)
    Uni<String> usageCsv(@QueryParam("tenantId") String tenantId, @QueryParam("from") String from,
            @QueryParam("to") String to, @QueryParam("groupBy") String groupBy);

    @GET
    @Path("/budgets/{tenantId}")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<BillingBudget> budget(@PathParam("tenantId") String tenantId);

    /** Ledger rows of one generation (whoever's it is: the caller checks the tenant). */
    @GET
    @Path("/ledger")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<BillingLedgerEntry>> ledgerOfGeneration(@QueryParam("generationId") String generationId);

    /** A tenant's ledger rows, oldest first, at most {@code limit}. */
    @GET
    @Path("/ledger")
    @Produces(MediaType.APPLICATION_JSON)
    Uni<List<BillingLedgerEntry>> ledgerOfTenant(@QueryParam("tenantId") String tenantId, @QueryParam("limit") int limit);

    /** Any error answer, with billing's problem body when it sent one. */
    @ClientExceptionMapper
    static RuntimeException toException(Response response) {
        JsonNode problem = null;
        try {
            String body = response.readEntity(String.class);
            problem = body == null || body.isBlank() ? null : new ObjectMapper().readTree(body);
        } catch (Exception unreadable) {
            // the status alone says what happened
        }
        return new BillingReadException(response.getStatus(), problem);
    }
}
