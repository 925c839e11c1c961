package ai.vidgen.request.api;

import ai.vidgen.request.persistence.GenerationRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.UriInfo;
import org.jboss.resteasy.reactive.server.ServerRequestFilter;

/**
 * Decides who may open an event stream before the stream's response starts: an SSE response
 * sends its {@code 200} and headers as soon as the method returns, so a missing generation or an
 * unknown key must be answered here to be a real {@code 404} or {@code 401}. The resolved tenant is
 * handed to the method in the routing context.
 */
public class StreamAdmission {

    /** The routing-context key of the tenant this filter resolved. */
    static final String TENANT = StreamAdmission.class.getName() + ".tenant";

    private final TenantResolver tenants;
    private final GenerationRepository generations;

    public StreamAdmission(TenantResolver tenants, GenerationRepository generations) {
        this.tenants = tenants;
        this.generations = generations;
    }

    @ServerRequestFilter
    @FollowedGeneration
    public Uni<Void> admit(HttpHeaders headers, UriInfo uri, RoutingContext routing) {
        String id = uri.getPathParameters().getFirst("id");
        return tenants.resolve(headers).chain(tenant -> generations.find(tenant, id).map(found -> {
            // Another tenant's generation answers exactly like a missing one: ids reveal nothing.
            if (found.isEmpty()) {
                throw GenerationsResource.notFound(id);
            }
            routing.put(TENANT, tenant);
            return null;
        }));
    }
}
