package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.Problem.ProblemError;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.client.BillingAccountsClient;
import ai.vidgen.request.client.BillingLedgerEntry;
import ai.vidgen.request.client.BillingReadException;
import ai.vidgen.request.client.BillingUsage;
import ai.vidgen.request.persistence.GenerationRepository;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * A tenant's own money: usage, this month's budget and the ledger, read from billing-service for
 * the tenant of the API key ({@link TenantResolver}) and for no other. The tenant is never a
 * parameter; another tenant's generation answers like a missing one (404).
 */
@Path("/v1")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "money", description = "Your usage, budget and ledger (integer micro-dollars, USD)")
public class TenantMoneyResource {

    private static final Logger LOG = Logger.getLogger(TenantMoneyResource.class);
    static final int DEFAULT_LEDGER_LIMIT = 500;
    /** billing-service's own cap on one ledger read. */
    static final int MAX_LEDGER_LIMIT = 5000;
    private static final String TENANT_PARAMETER = "tenantId";

    private final TenantResolver tenants;
    private final BillingAccountsClient billing;
    private final GenerationRepository generations;

    public TenantMoneyResource(TenantResolver tenants, @RestClient BillingAccountsClient billing,
            GenerationRepository generations) {
        this.tenants = tenants;
        this.billing = billing;
        this.generations = generations;
    }

    @GET
    @Path("/usage")
    @Produces({MediaType.APPLICATION_JSON, BillingUsage.CSV})
    @Operation(summary = "Your usage", description = "What was charged (settlements plus corrections), grouped by any "
            + "of tenant, model_family, tier, audio, voice_control, endpoint, day (UTC). JSON, or CSV with "
            + "Accept: text/csv or format=csv.")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "200", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MoneyViews.Usage.class)),
            @Content(mediaType = BillingUsage.CSV)})
    @APIResponse(responseCode = "400", description = "An invalid from, to, groupBy or format, or a tenantId parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "billing-service did not answer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<Response> usage(
            @Parameter(description = "Inclusive: an ISO instant or a UTC date (2026-11-01)") @QueryParam("from") String from,
            @Parameter(description = "Exclusive, same forms") @QueryParam("to") String to,
            @Parameter(description = "Comma-separated: tenant, model_family, tier, audio, voice_control, endpoint, day")
            @QueryParam("groupBy") String groupBy,
            @Parameter(description = "json (default) or csv") @QueryParam("format") String format,
            @Parameter(hidden = true) @QueryParam(TENANT_PARAMETER) String tenantId,
            @HeaderParam(HttpHeaders.ACCEPT) String accept, @Context HttpHeaders headers) {
        // The same rule as billing's: format wins, else an Accept that asks for CSV and not JSON.
        boolean csv = "csv".equalsIgnoreCase(format) || (format == null && accept != null
                && accept.contains(BillingUsage.CSV) && !accept.contains(MediaType.APPLICATION_JSON));
        return tenant(headers, tenantId).invoke(tenant -> {
            if (format != null && !format.equalsIgnoreCase("csv") && !format.equalsIgnoreCase("json")) {
                throw ProblemException.invalid("format must be json or csv",
                        List.of(ProblemError.parameter("format", "json or csv")));
            }
        }).chain(tenant -> csv
                ? fromBilling(billing.usageCsv(tenant, from, to, groupBy))
                        .map(body -> Response.ok(body, BillingUsage.CSV).build())
                : fromBilling(billing.usage(tenant, from, to, groupBy))
                        .map(usage -> Response.ok(MoneyViews.Usage.of(usage, tenant), MediaType.APPLICATION_JSON).build()));
    }

    @GET
    @Path("/budget")
    @Operation(summary = "Your budget", description = "This month's (UTC) limit, what is committed (held by "
            + "reservations and charged) and what remains; limit_micros null means no budget")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MoneyViews.Budget.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "billing-service did not answer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<MoneyViews.Budget> budget(@Parameter(hidden = true) @QueryParam(TENANT_PARAMETER) String tenantId,
            @Context HttpHeaders headers) {
        return tenant(headers, tenantId).chain(tenant -> fromBilling(billing.budget(tenant))).map(MoneyViews.Budget::of);
    }

    @GET
    @Path("/ledger")
    @Operation(summary = "Your ledger", description = "The ledger rows of one of your generations, or your rows "
            + "oldest first (at most limit)")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test); otherwise use Authorization: Bearer <api key>")
    @APIResponse(responseCode = "200", content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = MoneyViews.Ledger.class)))
    @APIResponse(responseCode = "400", description = "An invalid limit, or a tenantId parameter",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "401", description = "No or an invalid API key",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "404", description = "No such generation for this tenant",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @APIResponse(responseCode = "503", description = "billing-service did not answer",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    public Uni<MoneyViews.Ledger> ledger(
            @Parameter(description = "One of your generations") @QueryParam("generationId") String generationId,
            @Parameter(description = "1 to 5000 rows, default 500 (without generationId)") @QueryParam("limit") Integer limit,
            @Parameter(hidden = true) @QueryParam(TENANT_PARAMETER) String tenantId, @Context HttpHeaders headers) {
        return tenant(headers, tenantId).chain(tenant -> {
            if (limit != null && (limit < 1 || limit > MAX_LEDGER_LIMIT)) {
                throw ProblemException.invalid("limit must be 1 to " + MAX_LEDGER_LIMIT,
                        List.of(ProblemError.parameter("limit", "1 to " + MAX_LEDGER_LIMIT)));
            }
            if (generationId == null || generationId.isBlank()) {
                return fromBilling(billing.ledgerOfTenant(tenant, limit == null ? DEFAULT_LEDGER_LIMIT : limit))
                        .map(rows -> rows.stream().filter(r -> tenant.equals(r.tenantId())).toList());
            }
            // The read model knows whose generation it is: another tenant's id is a 404 before billing is asked.
            return generations.find(tenant, generationId)
                    .chain(found -> {
                        if (found.isEmpty()) {
                            throw ProblemException.notFound("no generation " + generationId + " for this tenant");
                        }
                        return fromBilling(billing.ledgerOfGeneration(generationId));
                    })
                    .map(rows -> rows.stream().filter(r -> tenant.equals(r.tenantId())).toList());
        }).map(rows -> new MoneyViews.Ledger(rows.stream().filter(TenantMoneyResource::tenantsMoney)
                .map(MoneyViews.LedgerEntry::of).toList()));
    }

    /**
     * Only rows that are the tenant's money: billing's {@code FAL_LOSS} rows record what fal
     * charged us for a video the tenant did not pay for, our cost and none of the tenant's.
     */
    private static boolean tenantsMoney(BillingLedgerEntry row) {
        return !"FAL_LOSS".equals(row.kind());
    }

    /**
     * The API key's tenant (credentials are checked before any parameter); a {@code tenantId}
     * parameter is refused rather than silently ignored.
     */
    private Uni<String> tenant(HttpHeaders headers, String tenantParameter) {
        return tenants.resolve(headers).invoke(tenant -> {
            if (tenantParameter != null) {
                throw ProblemException.invalid("the tenant is the API key's; leave out " + TENANT_PARAMETER,
                        List.of(ProblemError.parameter(TENANT_PARAMETER, "not a parameter here: the API key decides the tenant")));
            }
        });
    }

    /**
     * billing's refusal of the query (400) is the caller's to fix and keeps billing's field errors;
     * anything else (down, slow, our service token refused) is billing being unavailable.
     */
    private static <T> Uni<T> fromBilling(Uni<T> call) {
        return call.onFailure().transform(failure -> {
            if (failure instanceof BillingReadException refused && refused.status() == 400) {
                return ProblemException.invalid(text(refused.problem(), "detail", "invalid query"), errors(refused.problem()));
            }
            if (failure instanceof BillingReadException refused && (refused.status() == 401 || refused.status() == 403)) {
                LOG.warnf("billing-service refused this service's token (%d): check vidgen.auth.service-tokens here "
                        + "and in billing-service", refused.status());
            } else {
                LOG.warnf("billing-service did not answer a tenant read: %s", failure.toString());
            }
            return ProblemException.of(503, "billing-unavailable", "Billing unavailable",
                    "billing-service did not answer; try again shortly");
        });
    }

    /** billing points at its query parameters as {@code /from}; here they are named as parameters. */
    private static List<ProblemError> errors(JsonNode problem) {
        List<ProblemError> out = new ArrayList<>();
        if (problem != null) {
            for (JsonNode e : problem.path("errors")) {
                String where = e.hasNonNull("parameter") ? e.get("parameter").asText()
                        : e.path("pointer").asText("").replaceFirst("^/", "");
                out.add(ProblemError.parameter(where, e.path("detail").asText()));
            }
        }
        return out;
    }

    private static String text(JsonNode node, String field, String fallback) {
        return node == null ? fallback : node.path(field).asText(fallback);
    }
}
