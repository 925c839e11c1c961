package ai.vidgen.request.api;

import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.ApiKeys;
import ai.vidgen.request.persistence.TenantRepository;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Decides which tenant a request acts for; the one place that knows.
 * <ol>
 * <li>{@code Authorization: Bearer <api key>}: the key's tenant. A key is looked up by its id
 * (database keys) or against the configured hashes ({@code request.auth.keys.*}); hashes are
 * compared in constant time. A wrong, revoked or malformed key is a 401, never a fallback.</li>
 * <li>No {@code Authorization}: only when {@code request.auth.allow-tenant-header} is on (dev,
 * tests, local stack), the {@code X-Tenant-Id} header or {@code request.default-tenant}.
 * Otherwise 401.</li>
 * </ol>
 */
@ApplicationScoped
public class TenantResolver {

    public static final String HEADER = "X-Tenant-Id";
    public static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private record ConfiguredKey(String tenant, byte[] sha256) {
    }

    private final RequestConfig config;
    private final TenantRepository tenants;
    private final List<ConfiguredKey> configured = new ArrayList<>();

    public TenantResolver(RequestConfig config, TenantRepository tenants) {
        this.config = config;
        this.tenants = tenants;
        for (Map.Entry<String, String> e : config.auth().keys().entrySet()) {
            for (String hash : e.getValue().split(",")) {
                if (!hash.isBlank()) {
                    configured.add(new ConfiguredKey(e.getKey(), HexFormat.of().parseHex(hash.trim().toLowerCase())));
                }
            }
        }
    }

    /** @return the tenant, or a failed Uni with a {@link ProblemException} (400 or 401) */
    public Uni<String> resolve(HttpHeaders headers) {
        String authorization = headers.getHeaderString(HttpHeaders.AUTHORIZATION);
        if (authorization != null && !authorization.isBlank()) {
            return byKey(authorization.trim());
        }
        if (!config.auth().allowTenantHeader()) {
            return Uni.createFrom().failure(ProblemException.unauthorized("send Authorization: Bearer <api key>"));
        }
        try {
            return Uni.createFrom().item(byHeader(headers));
        } catch (ProblemException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private Uni<String> byKey(String authorization) {
        if (authorization.length() < 8 || !authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return Uni.createFrom().failure(ProblemException.unauthorized("the Authorization header must be Bearer <api key>"));
        }
        String key = authorization.substring(7).trim();
        byte[] presented = ApiKeys.sha256(key);
        String match = null;
        for (ConfiguredKey c : configured) {
            // Every configured hash is compared, so the time does not tell which one matched.
            if (ApiKeys.matches(presented, c.sha256()) && match == null) {
                match = c.tenant();
            }
        }
        if (match != null) {
            return Uni.createFrom().item(match);
        }
        return ApiKeys.idOf(key)
                .map(id -> tenants.key(id).map(found -> found
                        .filter(k -> k.revokedAt() == null && ApiKeys.matches(presented, k.sha256()))
                        .map(TenantRepository.ApiKey::tenantId)
                        .orElseThrow(() -> ProblemException.unauthorized("the API key is not valid"))))
                .orElseGet(() -> Uni.createFrom().failure(ProblemException.unauthorized("the API key is not valid")));
    }

    private String byHeader(HttpHeaders headers) {
        String value = headers.getHeaderString(HEADER);
        if (value == null || value.isBlank()) {
            return config.defaultTenant();
        }
        String tenant = value.trim();
        if (!TENANT.matcher(tenant).matches()) {
            throw new ProblemException(Problem.of(Problem.INVALID_HEADER, "Invalid tenant", 400,
                    HEADER + " must be 1 to 64 letters, digits, '.', '_' or '-'")
                    .withErrors(List.of(Problem.ProblemError.parameter(HEADER, "not a tenant id"))));
        }
        return tenant;
    }
}
