package ai.vidgen.dispatcher.domain;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * Keeps the {@code tenant} metric tag bounded: the first {@code maxTenants} tenants this replica
 * sees get a tag of their own, every later one is reported as {@code other}. Tenant ids are
 * created by customers; without a bound every new tenant would add time series forever.
 * Operators who need a specific tenant broken out raise the bound (restart resets the set).
 */
public final class TenantTags {

    public static final String OTHER = "other";
    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:-]{0,63}");

    private final int maxTenants;
    private final Set<String> named = ConcurrentHashMap.newKeySet();

    public TenantTags(int maxTenants) {
        this.maxTenants = maxTenants;
    }

    public String tag(String tenantId) {
        if (tenantId == null || !SAFE.matcher(tenantId).matches() || OTHER.equals(tenantId)) {
            return OTHER;
        }
        if (named.contains(tenantId)) {
            return tenantId;
        }
        synchronized (named) {
            if (named.size() < maxTenants) {
                named.add(tenantId);
                return tenantId;
            }
        }
        return named.contains(tenantId) ? tenantId : OTHER;
    }
}
