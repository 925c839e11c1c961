package ai.vidgen.platform.auth;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MultivaluedHashMap;
import jakarta.ws.rs.core.MultivaluedMap;
import java.util.List;
import org.eclipse.microprofile.rest.client.ext.ClientHeadersFactory;

/**
 * Adds this service's token to calls to another platform service:
 * {@code @RegisterClientHeaders(ServiceTokenHeaders.class)} on the REST client interface.
 */
@ApplicationScoped
public class ServiceTokenHeaders implements ClientHeadersFactory {

    private final AuthConfig config;

    public ServiceTokenHeaders(AuthConfig config) {
        this.config = config;
    }

    @Override
    public MultivaluedMap<String, String> update(MultivaluedMap<String, String> incoming,
            MultivaluedMap<String, String> outgoing) {
        MultivaluedMap<String, String> headers = new MultivaluedHashMap<>();
        config.serviceTokens().orElse(List.of()).stream().filter(t -> !t.isBlank()).findFirst()
                .ifPresent(token -> headers.putSingle(HttpHeaders.AUTHORIZATION, "Bearer " + token));
        return headers;
    }
}
