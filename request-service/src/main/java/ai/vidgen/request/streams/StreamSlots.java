package ai.vidgen.request.streams;

import ai.vidgen.request.config.RequestConfig;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Counts the open event streams of this replica, per tenant and in all, and refuses one more beyond
 * {@code request.sse.max-streams-per-tenant} or {@code request.sse.max-streams}. In memory: each
 * replica guards its own connections and memory.
 */
@ApplicationScoped
public class StreamSlots {

    private final int maxStreams;
    private final int maxPerTenant;
    private final MeterRegistry registry;
    private final Map<String, Integer> openByTenant = new HashMap<>();
    private int open;

    @Inject
    public StreamSlots(RequestConfig config, MeterRegistry registry) {
        this(config.sse().maxStreams(), config.sse().maxStreamsPerTenant(), registry);
    }

    StreamSlots(int maxStreams, int maxPerTenant, MeterRegistry registry) {
        this.maxStreams = maxStreams;
        this.maxPerTenant = maxPerTenant;
        this.registry = registry;
        Gauge.builder("vidgen.request.sse.streams", this, StreamSlots::open)
                .description("server-sent event streams open on this replica").register(registry);
    }

    /**
     * A slot for one more stream of the tenant, to be released when the stream ends.
     *
     * @throws StreamLimitReached when the tenant's or the replica's streams are all open
     */
    public Slot take(String tenant) {
        synchronized (this) {
            int ofTenant = openByTenant.getOrDefault(tenant, 0);
            StreamLimitReached refused = null;
            if (ofTenant >= maxPerTenant) {
                refused = new StreamLimitReached(StreamLimitReached.Scope.TENANT, maxPerTenant);
            } else if (open >= maxStreams) {
                refused = new StreamLimitReached(StreamLimitReached.Scope.REPLICA, maxStreams);
            }
            if (refused == null) {
                openByTenant.put(tenant, ofTenant + 1);
                open++;
                return new Slot(tenant);
            }
            registry.counter("vidgen.request.sse.refused", "scope", refused.scope().name().toLowerCase()).increment();
            throw refused;
        }
    }

    /** Streams open on this replica now. */
    public synchronized int open() {
        return open;
    }

    private synchronized void release(String tenant) {
        open--;
        openByTenant.computeIfPresent(tenant, (t, n) -> n <= 1 ? null : n - 1);
    }

    /** One open stream's place; releasing it more than once (end and disconnect both) counts once. */
    public final class Slot {

        private final String tenant;
        private final AtomicBoolean released = new AtomicBoolean();

        private Slot(String tenant) {
            this.tenant = tenant;
        }

        public void release() {
            if (released.compareAndSet(false, true)) {
                StreamSlots.this.release(tenant);
            }
        }
    }
}
