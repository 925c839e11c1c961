package ai.vidgen.platform.outbox;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;
import java.time.Duration;

/** The transactional outbox of a service that has one ({@code vidgen.outbox.enabled=true} at build time). */
@ConfigMapping(prefix = "vidgen.outbox")
public interface OutboxConfig {

    /**
     * The build-time switch that includes the outbox beans ({@code @IfBuildProperty}); declared here
     * so the property maps to this root.
     */
    @WithDefault("false")
    boolean enabled();

    /** How often a relay pass runs without being nudged; a pass also runs right after each commit. */
    @WithDefault("1s")
    Duration interval();

    /** Events published per pass (pipelined, one transaction). */
    @WithDefault("500")
    int batchSize();

    /** How long a pass waits for the broker's acks before it gives up and tries again later. */
    @WithDefault("30s")
    Duration publishTimeout();
}
