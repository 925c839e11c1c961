package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.domain.QueueStatus;
import ai.vidgen.dispatcher.persistence.OutboxRepository;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.persistence.QueueStats;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Pattern;

/**
 * The dispatcher's metrics. Gauges are snapshots of the shared queue table, refreshed by every
 * periodic pass, so every replica reports the same global value: aggregate them with max, not sum.
 * Counters count what this replica did: aggregate them with sum.
 */
@ApplicationScoped
public class DispatcherMetrics {

    private static final Pattern TAG_VALUE = Pattern.compile("[a-z][a-z0-9_]{0,39}");

    private final MeterRegistry registry;
    private final QueueRepository queue;
    private final OutboxRepository outbox;
    private final Map<Priority, AtomicLong> queued = new EnumMap<>(Priority.class);
    private final AtomicLong inFlight = new AtomicLong();
    private final AtomicLong reserving = new AtomicLong();
    private final AtomicLong outboxPending = new AtomicLong();
    private final Counter reservationRetries;

    public DispatcherMetrics(MeterRegistry registry, QueueRepository queue, OutboxRepository outbox) {
        this.registry = registry;
        this.queue = queue;
        this.outbox = outbox;
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
        Gauge.builder("dispatcher.outbox.pending", outboxPending, AtomicLong::get)
                .description("Events written but not yet acknowledged by Kafka").strongReference(true).register(registry);
        reservationRetries = Counter.builder("dispatcher.reservation.retries")
                .description("Reservation attempts that found billing unavailable").register(registry);
    }

    public void rejected(String reason) {
        String tag = reason != null && TAG_VALUE.matcher(reason).matches() ? reason : "other";
        Counter.builder("dispatcher.rejections").description("Generations refused at admission, by reason")
                .tag("reason", tag).register(registry).increment();
    }

    public void dispatched(String falPriority) {
        Counter.builder("dispatcher.dispatched").description("Generations released to fal")
                .tag("fal_priority", falPriority).register(registry).increment();
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
                .chain(() -> outbox.size()).invoke(outboxPending::set)
                .replaceWithVoid();
    }

    private void apply(QueueStats stats) {
        for (Priority p : Priority.values()) {
            queued.get(p).set(stats.queued(p));
        }
        inFlight.set(stats.count(QueueStatus.DISPATCHED));
        reserving.set(stats.count(QueueStatus.RESERVING));
    }
}
