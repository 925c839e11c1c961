package ai.vidgen.dispatcher;

import io.quarkus.test.junit.QuarkusTestProfile;
import java.util.Map;

/**
 * Every tenant may have one generation in flight (the global limit stays roomy): a test holds a
 * tenant's slot with one generation and watches what happens to the next one while it waits.
 * Tenant {@code vip-tenant} may have two.
 */
public class OnePerTenant implements QuarkusTestProfile {

    @Override
    public Map<String, String> getConfigOverrides() {
        return Map.of("dispatcher.tenants.max-in-flight", "1",
                // an exception for one tenant, as an operator would configure it
                "dispatcher.tenants.overrides.\"vip-tenant\".max-in-flight", "2");
    }
}
