package ai.vidgen.platform.auth;

import ai.vidgen.platform.problem.Problem;
import jakarta.enterprise.inject.Instance;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.ext.Provider;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks the caller of {@link AdminOnly} and {@link ServiceOnly} routes before they run. The
 * filters are made before the runtime configuration is loaded, so they look the tokens up per
 * request ({@link Instance}).
 */
public final class CallerFilters {

    private CallerFilters() {
    }

    @Provider
    @AdminOnly
    public static class Admin implements ContainerRequestFilter {

        private final Instance<AuthConfig> config;

        public Admin(Instance<AuthConfig> config) {
            this.config = config;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            List<String> admin = config.get().adminTokens().orElse(List.of());
            if (admin.stream().allMatch(String::isBlank)) {
                request.abortWith(Problem.of(Problem.NOT_FOUND, "Not Found", 404, "no such resource")
                        .withInstance(request.getUriInfo().getPath()).toResponse());
                return;
            }
            check(request, admin, "an admin bearer token");
        }
    }

    @Provider
    @ServiceOnly
    public static class Service implements ContainerRequestFilter {

        private final Instance<AuthConfig> config;

        public Service(Instance<AuthConfig> config) {
            this.config = config;
        }

        @Override
        public void filter(ContainerRequestContext request) {
            List<String> valid = new ArrayList<>(config.get().serviceTokens().orElse(List.of()));
            valid.addAll(config.get().adminTokens().orElse(List.of()));
            check(request, valid, "a service bearer token");
        }
    }

    private static void check(ContainerRequestContext request, List<String> valid, String what) {
        boolean ok = BearerTokens.presented(request.getHeaderString(HttpHeaders.AUTHORIZATION))
                .map(token -> BearerTokens.matchesAny(token, valid))
                .orElse(false);
        if (!ok) {
            request.abortWith(Problem.of(Problem.UNAUTHORIZED, "Unauthorized", 401,
                    "this route needs Authorization: Bearer <" + what.substring(what.indexOf(' ') + 1) + ">")
                    .withInstance(request.getUriInfo().getPath()).toResponse());
        }
    }
}
