package ai.vidgen.falemulator.api;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.ext.Provider;
import java.util.Optional;

/**
 * fal's key check: {@code Authorization: Key <key>}. With {@code emulator.api-key} set the key
 * must match it, otherwise any non-empty key passes. Keys are never logged nor echoed.
 */
@Provider
@RequiresFalKey
public class FalKeyFilter implements ContainerRequestFilter {

    private static final String SCHEME = "Key ";

    private final FalKeyPolicy policy;

    public FalKeyFilter(FalKeyPolicy policy) {
        this.policy = policy;
    }

    @Override
    public void filter(ContainerRequestContext request) {
        Optional<String> key = presentedKey(request.getHeaderString(HttpHeaders.AUTHORIZATION));
        if (key.isEmpty()) {
            reject(request, "Missing credentials: send 'Authorization: Key <FAL_KEY>'.");
        } else if (!policy.accepts(key.get())) {
            reject(request, "Invalid credentials: the key is not valid for this emulator.");
        }
    }

    static Optional<String> presentedKey(String header) {
        if (header == null || header.length() <= SCHEME.length()
                || !header.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return Optional.empty();
        }
        String key = header.substring(SCHEME.length()).strip();
        return key.isEmpty() ? Optional.empty() : Optional.of(key);
    }

    private static void reject(ContainerRequestContext request, String detail) {
        request.abortWith(Response.status(Response.Status.UNAUTHORIZED)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new Detail(detail))
                .build());
    }
}
