package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.domain.QueueStatus;
import ai.vidgen.dispatcher.domain.TenantTags;
import ai.vidgen.dispatcher.persistence.ReleasedGeneration;
import ai.vidgen.dispatcher.persistence.TenantLoad;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.persistence.QueueStats;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The dispatcher's metrics. Gauges are snapshots of the shared queue table, refreshed by every
 * periodic pass, so every replica reports the same global value: aggregate them with max, not sum.
 * Counters count what this replica did: aggregate them with sum.
 *
 * <p>Tenant tags are bounded by {@link TenantTags} ({@code dispatcher.metrics.max-tenants}); the
 * per-tenant gauges have names of their own ({@code dispatcher_tenant_*}) because Prometheus wants
 * one set of tag keys per name. The outbox's own metrics ({@code vidgen_outbox_backlog},
 * {@code _published}, {@code _refused}) are the platform relay's.
 */
@ApplicationScoped
public class DispatcherMetrics {

    private static final Pattern TAG_VALUE = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private final MeterRegistry registry;
    private final QueueRepository queue;
    private final Map<Priority, AtomicLong> queued = new EnumMap<>(Priority.class);
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong reserving = new AtomicLong();
    private final Counter reservationRetries;
    private final Counter retries;
    private final Counter abandoned;
    private final Counter reclaimed;
    private final TenantTags tenantTags;
    private final MultiGauge tenantQueueDepth;
    private final MultiGauge tenantOldestWait;
    private final MultiGauge tenantInFlight;

    public DispatcherMetrics(MeterRegistry registry, QueueRepository queue, DispatcherConfig config) {
        this.registry = registry;
        this.queue = queue;
        this.tenantTags = new TenantTags(config.metrics().maxTenants());
        tenantQueueDepth = MultiGauge.builder("dispatcher.tenant.queue.depth")
                .description("Generations reserved and waiting for a slot, by tenant and priority").register(registry);
        tenantOldestWait = MultiGauge.builder("dispatcher.tenant.queue.oldest.wait").baseUnit("seconds")
                .description("How long the oldest waiting generation has been in the queue, by tenant and priority")
                .register(registry);
        tenantInFlight = MultiGauge.builder("dispatcher.tenant.in.flight")
                .description("Generations dispatched to fal and not yet finished, by tenant").register(registry);
        retries = Counter.builder("dispatcher.retries")
                .description("Failed attempts sent back to the queue for another attempt").register(registry);
        abandoned = Counter.builder("dispatcher.abandoned")
                .description("Generations given up after retryable failures or a deadline while waiting to retry")
                .register(registry);
        reclaimed = Counter.builder("dispatcher.slots.reclaimed")
                .description("Slots taken back from generations dispatched long ago without a terminal event")
                .register(registry);
        for (Priority p : Priority.values()) {
            AtomicLong depth = new AtomicLong();
            queued.put(p, depth);
            Gauge.builder("dispatcher.queue.depth", depth, AtomicLong::get)
                    .description("Generations reserved and waiting for a free slot")
                    .tag("priority", p.code()).strongReference(true).register(registry);
        }
        Gauge.builder("dispatcher.in.flight", inFlight, AtomicLong::get)
                .description("Generations dispatched to fal and not yet finished").strongReference(true).register(registry);
        Gauge.builder("dispatcher.reservations.pending", reserving, AtomicLong::get)
                .description("Generations waiting for billing to reserve their cost").strongReference(true)
                .register(registry);
        reservationRetries = Counter.builder("dispatcher.reservation.retries")
                .description("Reservation attempts that found billing unavailable").register(registry);
    }

    public void rejected(String reason) {
        String tag = reason != null && TAG_VALUE.matcher(reason).matches() ? reason : "other";
        Counter.builder("dispatcher.rejections").description("Generations refused at admission, by reason")
                .tag("reason", tag).register(registry).increment();
    }

    public void dispatched(ReleasedGeneration r) {
        Counter.builder("dispatcher.dispatched").description("Generations released to fal")
                .tag("fal_priority", r.falPriority()).register(registry).increment();
        if (r.attempt() == 1) {
            Timer.builder("dispatcher.queue.wait")
                    .description("From arrival to the first dispatch (reservation included), by tenant and priority")
                    .tag("tenant", tenantTags.tag(r.tenantId())).tag("priority", r.priority().code())
                    .register(registry).record(r.waited());
        }
    }

    public void cancelled(String reason) {
        Counter.builder("dispatcher.cancelled").description("Generations this service cancelled before dispatch")
                .tag("reason", reason).register(registry).increment();
    }

    public void retried() {
        retries.increment();
    }

    public void abandoned() {
        abandoned.increment();
    }

    public void reclaimed() {
        reclaimed.increment();
    }

    /** A draft routed to a cheaper endpoint (a catalog id: bounded). */
    public void draftRouted(String endpointId) {
        Counter.builder("dispatcher.drafts.routed").description("Draft generations routed to a cheaper endpoint")
                .tag(KlingEndpoint.METRIC_LABEL, endpointId).register(registry).increment();
    }

    public void reservationRetry() {
        reservationRetries.increment();
    }

    public void inFlight(long value) {
        inFlight.set(value);
    }

    /** Re-reads the gauges from the database. */
    public Uni<Void> refresh() {
        return queue.stats().invoke(this::apply)
                .chain(() -> queue.tenantLoads()).invoke(this::applyTenants)
                .replaceWithVoid();
    }

    private void applyTenants(List<TenantLoad> loads) {
        Map<Tags, Double> depth = new HashMap<>();
        Map<Tags, Double> oldest = new HashMap<>();
        Map<Tags, Double> inFlightByTenant = new HashMap<>();
        for (TenantLoad load : loads) {
            String tenant = tenantTags.tag(load.tenantId());
            if (load.status() == QueueStatus.QUEUED) {
                Tags tags = Tags.of("tenant", tenant, "priority", load.priority().code());
                depth.merge(tags, (double) load.count(), Double::sum);
                oldest.merge(tags, load.oldestSeconds(), Math::max);
            } else {
                inFlightByTenant.merge(Tags.of("tenant", tenant), (double) load.count(), Double::sum);
            }
        }
        tenantQueueDepth.register(rows(depth), true);
        tenantOldestWait.register(rows(oldest), true);
        tenantInFlight.register(rows(inFlightByTenant), true);
    }

    private static List<MultiGauge.Row<?>> rows(Map<Tags, Double> values) {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        values.forEach((tags, value) -> rows.add(MultiGauge.Row.of(tags, value)));
        return rows;
    }

    private void apply(QueueStats stats) {
        for (Priority p : Priority.values()) {
            queued.get(p).set(stats.queued(p));
        }
        inFlight.set(stats.count(QueueStatus.DISPATCHED));
        reserving.set(stats.count(QueueStatus.RESERVING));
    }
}
