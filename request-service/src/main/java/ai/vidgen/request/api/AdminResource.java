package ai.vidgen.request.api;

import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.domain.ApiKeys;
import ai.vidgen.request.persistence.TenantRepository;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.time.OffsetDateTime;
import java.util.List;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * Tenants and API keys, for operators: {@code Authorization: Bearer <admin token>}, a token of the
 * platform's {@code vidgen.auth.admin-tokens} ({@link AdminOnly}; missing or wrong: 401). Without a
 * configured admin token the admin API does not exist (404).
 */
@AdminOnly
@Path("/admin/tenants/{tenant}/api-keys")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "admin", description = "Tenants and their API keys (admin token)")
public class AdminResource {

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record KeyView(String id, @JsonProperty("tenant_id") String tenantId, String label,
            @Schema(description = "The key itself: shown once, at creation, never again") String key,
            @JsonProperty("created_at") OffsetDateTime createdAt, @JsonProperty("revoked_at") OffsetDateTime revokedAt) {
    }

    public record KeyList(List<KeyView> data) {
    }

    private static final com.fasterxml.jackson.databind.ObjectMapper JSON = new com.fasterxml.jackson.databind.ObjectMapper();

    private final TenantRepository tenants;

    public AdminResource(TenantRepository tenants) {
        this.tenants = tenants;
    }

    @POST
    @Consumes(MediaType.WILDCARD)
    @Operation(summary = "Create an API key for a tenant (the tenant is created on first key)")
    @APIResponse(responseCode = "201", content = @Content(schema = @Schema(implementation = KeyView.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token")
    public Uni<Response> create(@PathParam("tenant") String tenant, String text) {
        validTenant(tenant);
        JsonNode body = parse(text);
        String label = body != null && body.hasNonNull("label") ? body.get("label").asText() : null;
        ApiKeys.Minted minted = ApiKeys.mint();
        return tenants.addKey(tenant, minted.id(), minted.sha256(), label).map(k -> Response.status(201)
                .entity(new KeyView(k.id(), k.tenantId(), k.label(), minted.key(), k.createdAt(), null)).build());
    }

    @GET
    @Operation(summary = "List a tenant's API keys (ids and labels; never the keys)")
    @APIResponse(responseCode = "200", content = @Content(schema = @Schema(implementation = KeyList.class)))
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token")
    public Uni<KeyList> list(@PathParam("tenant") String tenant) {
        validTenant(tenant);
        return tenants.keys(tenant).map(keys -> new KeyList(keys.stream()
                .map(k -> new KeyView(k.id(), k.tenantId(), k.label(), null, k.createdAt(), k.revokedAt())).toList()));
    }

    @DELETE
    @Path("/{keyId}")
    @Operation(summary = "Revoke an API key")
    @APIResponse(responseCode = "204", description = "Revoked (or already revoked)")
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token")
    @APIResponse(responseCode = "404", description = "No such key for this tenant")
    public Uni<Response> revoke(@PathParam("tenant") String tenant, @PathParam("keyId") String keyId) {
        return tenants.revoke(tenant, keyId).map(found -> {
            if (!found) {
                throw new ProblemException(Problem.of(Problem.NOT_FOUND, "API key not found", 404,
                        "no API key " + keyId + " for tenant " + tenant));
            }
            return Response.noContent().build();
        });
    }

    private static JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new ProblemException(Problem.of(Problem.MALFORMED_BODY, "Malformed request body", 400,
                    "the body is not valid JSON; send {\"label\": \"…\"} or nothing"));
        }
    }

    private static void validTenant(String tenant) {
        if (!TenantResolver.TENANT.matcher(tenant).matches()) {
            throw new ProblemException(Problem.of(Problem.INVALID_REQUEST, "Invalid tenant", 400,
                    "a tenant id is 1 to 64 letters, digits, '.', '_' or '-'"));
        }
    }
}
