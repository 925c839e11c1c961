package ai.vidgen.request.api;

import ai.vidgen.request.config.RequestConfig;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.HttpHeaders;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Decides which tenant a request acts for. The one place that knows: today the
 * {@code X-Tenant-Id} header (or the configured default), trusted as a gateway would set it;
 * with API keys this becomes a lookup of the key, and no caller changes.
 */
@ApplicationScoped
public class TenantResolver {

    public static final String HEADER = "X-Tenant-Id";
    private static final Pattern TENANT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    private final RequestConfig config;

    public TenantResolver(RequestConfig config) {
        this.config = config;
    }

    /** @throws ProblemException (400) when the header holds something that cannot be a tenant id */
    public String resolve(HttpHeaders headers) {
        String value = headers.getHeaderString(HEADER);
        if (value == null || value.isBlank()) {
            return config.defaultTenant();
        }
        String tenant = value.trim();
        if (!TENANT.matcher(tenant).matches()) {
            throw new ProblemException(Problem.of(Problem.INVALID_HEADER, "Invalid tenant", 400,
                    HEADER + " must be 1 to 64 letters, digits, '.', '_' or '-'")
                    .withErrors(List.of(Problem.ProblemError.parameter(HEADER,
                            "not a tenant id"))));
        }
        return tenant;
    }
}
