package ai.vidgen.billing.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

/** Settings of billing-service ({@code billing.*}); each one is documented in the README. */
@ConfigMapping(prefix = "billing")
public interface BillingConfig {

    Metrics metrics();

    interface Metrics {
        /** How often the ledger-backed gauges are re-read from the ledger (a Quarkus scheduler period). */
        @WithDefault("15s")
        String refreshInterval();
    }
}
