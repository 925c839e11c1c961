package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.BillablePeriod;
import ai.vidgen.billing.domain.BillingMetrics;
import ai.vidgen.billing.persistence.LedgerAggregates;
import ai.vidgen.billing.persistence.LedgerAggregates.BudgetUse;
import ai.vidgen.billing.persistence.LedgerAggregates.Generations;
import ai.vidgen.billing.persistence.LedgerAggregates.Loss;
import ai.vidgen.billing.persistence.LedgerAggregates.Spend;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.quarkus.runtime.Startup;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * Exports the ledger as gauges, re-read from the ledger's tables every
 * {@code billing.metrics.refresh-interval}: counters kept in memory start again at zero when the
 * process restarts and count what one replica saw, whereas these equal the ledger (within one
 * refresh) on every replica and across restarts. Sum them with {@code max by (...)} or filter by
 * one instance when several replicas are scraped.
 *
 * <p>Amounts are integer micro-dollars in the ledger; they become {@code double} only here,
 * because a Prometheus sample is a float64. Below 2^53 micro-dollars (9 billion dollars) the
 * conversion is exact.
 */
@Startup
@ApplicationScoped
public class LedgerGauges {

    private static final Logger LOG = Logger.getLogger(LedgerGauges.class);

    private final Pool pool;
    private final LedgerAggregates aggregates;
    private final Clock clock = Clock.systemUTC();

    private final MultiGauge charged;
    private final MultiGauge billedSeconds;
    private final MultiGauge generations;
    private final MultiGauge reservedOpen;
    private final MultiGauge unbilledLoss;
    private final MultiGauge budgetLimit;
    private final MultiGauge budgetCommitted;
    private final MultiGauge budgetRemaining;
    private final AtomicLong lastRefreshEpochSeconds = new AtomicLong();

    public LedgerGauges(Pool pool, LedgerAggregates aggregates, MeterRegistry registry) {
        this.pool = pool;
        this.aggregates = aggregates;
        this.charged = MultiGauge.builder("billing.ledger.charged.micros")
                .description("Charged micro-dollars in the ledger (settlements plus corrections), all time")
                .register(registry);
        this.billedSeconds = MultiGauge.builder("billing.ledger.billed.seconds")
                .description("Billed seconds of generated video in the ledger, all time").register(registry);
        this.generations = MultiGauge.builder("billing.ledger.generations")
                .description("Reserved generations by their state in the ledger (settled, released, open)")
                .register(registry);
        this.reservedOpen = MultiGauge.builder("billing.ledger.reserved.open.micros")
                .description("Micro-dollars held by reservations not yet settled or released").register(registry);
        this.unbilledLoss = MultiGauge.builder("billing.ledger.unbilled.loss.micros")
                .description("fal's cost of output not charged to tenants (FAL_LOSS rows), all time, for "
                        + "reconciling with fal's invoice").register(registry);
        this.budgetLimit = MultiGauge.builder("billing.budget.limit.micros")
                .description("Budget of the tenant for the current month").register(registry);
        this.budgetCommitted = MultiGauge.builder("billing.budget.committed.micros")
                .description("Committed this month against the budget (charges, open reservations, corrections)")
                .register(registry);
        this.budgetRemaining = MultiGauge.builder("billing.budget.remaining.micros")
                .description("Budget left this month (negative after a correction past the limit)").register(registry);
        Gauge.builder("billing.ledger.snapshot.timestamp.seconds", lastRefreshEpochSeconds, AtomicLong::doubleValue)
                .description("When the ledger gauges were last read from the ledger (epoch seconds)")
                .register(registry);
    }

    @Scheduled(every = "${billing.metrics.refresh-interval}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> scheduledRefresh() {
        return refresh().onFailure().invoke(e -> LOG.warnf("ledger gauges not refreshed: %s", e.toString()))
                .onFailure().recoverWithNull();
    }

    /** Reads the aggregates and replaces every row of the gauges (rows that vanished are removed). */
    public Uni<Void> refresh() {
        Instant now = clock.instant();
        return aggregates.spend(pool)
                .invoke(this::publishSpend)
                .flatMap(ignored -> aggregates.generations(pool))
                .invoke(this::publishGenerations)
                .flatMap(ignored -> aggregates.losses(pool))
                .invoke(this::publishLosses)
                .flatMap(ignored -> aggregates.budgets(pool, BillablePeriod.startOfMonth(now)))
                .invoke(this::publishBudgets)
                .invoke(() -> lastRefreshEpochSeconds.set(now.getEpochSecond()))
                .replaceWithVoid();
    }

    private void publishSpend(List<Spend> rows) {
        Map<Tags, long[]> byTags = new LinkedHashMap<>();
        for (Spend s : rows) {
            Tags tags = Tags.of("model_family", s.modelFamily(), "tier", s.tier(), "audio", Boolean.toString(s.audio()),
                    "voice_control", Boolean.toString(s.voiceControl()), "tenant", s.tenantId(),
                    KlingEndpoint.METRIC_LABEL, BillingMetrics.endpointLabel(s.endpointId()));
            long[] sums = byTags.computeIfAbsent(tags, t -> new long[2]);
            sums[0] += s.chargedMicros();
            sums[1] += s.billedSeconds();
        }
        charged.register(byTags.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), (double) e.getValue()[0])).toList(), true);
        billedSeconds.register(byTags.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), (double) e.getValue()[1])).toList(), true);
    }

    private void publishGenerations(List<Generations> rows) {
        Map<Tags, Long> counts = new LinkedHashMap<>();
        Map<Tags, Long> open = new LinkedHashMap<>();
        for (Generations g : rows) {
            counts.merge(Tags.of(KlingEndpoint.METRIC_LABEL, BillingMetrics.endpointLabel(g.endpointId()), "model_family",
                    g.modelFamily(), "tier", g.tier(), "tenant", g.tenantId(), "outcome", g.outcome()), g.count(), Long::sum);
            if ("open".equals(g.outcome())) {
                open.merge(Tags.of("model_family", g.modelFamily(), "tier", g.tier(), "tenant", g.tenantId()),
                        g.reservedMicros(), Long::sum);
            }
        }
        generations.register(counts.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), (double) e.getValue())).toList(), true);
        reservedOpen.register(open.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), (double) e.getValue())).toList(), true);
    }

    private void publishLosses(List<Loss> rows) {
        Map<Tags, Long> sums = new LinkedHashMap<>();
        for (Loss l : rows) {
            sums.merge(Tags.of("cause", l.cause().toLowerCase(java.util.Locale.ROOT), "tenant", l.tenantId(),
                    KlingEndpoint.METRIC_LABEL, BillingMetrics.endpointLabel(l.endpointId())), l.micros(), Long::sum);
        }
        unbilledLoss.register(sums.entrySet().stream()
                .map(e -> MultiGauge.Row.of(e.getKey(), (double) e.getValue())).toList(), true);
    }

    private void publishBudgets(List<BudgetUse> rows) {
        budgetLimit.register(rows.stream()
                .map(b -> MultiGauge.Row.of(Tags.of("tenant", b.tenantId()), (double) b.limitMicros())).toList(), true);
        budgetCommitted.register(rows.stream()
                .map(b -> MultiGauge.Row.of(Tags.of("tenant", b.tenantId()), (double) b.committedMicros())).toList(), true);
        budgetRemaining.register(rows.stream()
                .map(b -> MultiGauge.Row.of(Tags.of("tenant", b.tenantId()),
                        (double) (b.limitMicros() - b.committedMicros()))).toList(), true);
    }
}
