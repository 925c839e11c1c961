package ai.vidgen.request.api;

import ai.vidgen.request.webhook.WebhookDeliveries;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.ParameterIn;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** The tenant's webhook signing secret, to verify the callbacks it receives. */
@Path("/v1/webhooks/secret")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "webhooks", description = "Callbacks signed as Standard Webhooks (webhook-id, webhook-timestamp, "
        + "webhook-signature: v1,<base64 HMAC-SHA256 of id.timestamp.body>). Sent on generation.completed, "
        + ".failed, .cancelled and .rejected to the request's callback_url; any non-2xx answer is retried with "
        + "exponential backoff up to request.webhooks.max-attempts.")
public class WebhooksResource {

    private final WebhookDeliveries deliveries;
    private final TenantResolver tenants;

    public WebhooksResource(WebhookDeliveries deliveries, TenantResolver tenants) {
        this.deliveries = deliveries;
        this.tenants = tenants;
    }

    @GET
    @Operation(summary = "Your signing secret (whsec_…), created on first use")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test)")
    public Uni<Map<String, String>> secret(@Context HttpHeaders headers) {
        return tenants.resolve(headers).chain(deliveries::secret).map(s -> Map.of("secret", s));
    }

    @POST
    @Path("/rotate")
    @Operation(summary = "Replace your signing secret; callbacks sent from now on use the new one")
    @Parameter(name = TenantResolver.HEADER, in = ParameterIn.HEADER,
            description = "The tenant, only when request.auth.allow-tenant-header is on (dev/test)")
    public Uni<Map<String, String>> rotate(@Context HttpHeaders headers) {
        return tenants.resolve(headers).chain(deliveries::rotateSecret).map(s -> Map.of("secret", s));
    }
}
