package ai.vidgen.faladapter.tracking;

import ai.vidgen.faladapter.domain.FalRequestState;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jboss.logging.Logger;

/**
 * The adapter's own metrics (fal call latency is timed in the client):
 * <ul>
 * <li>{@code fal_adapter_requests_in_flight{state}}: rows per non-terminal state, recounted from
 * the database every {@code fal.metrics.refresh}, so every instance reports the same truth;</li>
 * <li>{@code fal_adapter_outcomes_total{outcome,error_type}}: completed / failed / cancelled / needs_attention;</li>
 * <li>{@code fal_adapter_dispatch_redelivered_total}: dispatches that found their attempt already recorded.</li>
 * </ul>
 */
@ApplicationScoped
public class AdapterMetrics {

    private static final Logger LOG = Logger.getLogger(AdapterMetrics.class);

    private final MeterRegistry registry;
    private final FalRequestRepository repository;
    private final Map<FalRequestState, AtomicLong> inFlight = new EnumMap<>(FalRequestState.class);
    private final Counter redelivered;
    private final io.micrometer.core.instrument.Timer pollRoundTime;
    private final io.micrometer.core.instrument.DistributionSummary pollRoundRows;

    public AdapterMetrics(MeterRegistry registry, FalRequestRepository repository) {
        this.registry = registry;
        this.repository = repository;
        for (FalRequestState state : FalRequestState.values()) {
            if (state.isTerminal()) {
                continue;
            }
            AtomicLong value = new AtomicLong();
            inFlight.put(state, value);
            Gauge.builder("fal.adapter.requests.in.flight", value, AtomicLong::get)
                    .description("Generation attempts at fal that are not finished, by state")
                    .tag("state", state.name())
                    .register(registry);
        }
        this.pollRoundTime = io.micrometer.core.instrument.Timer.builder("fal.adapter.poll.round")
                .description("Duration of one polling round: claim, fal calls, apply")
                .register(registry);
        this.pollRoundRows = io.micrometer.core.instrument.DistributionSummary.builder("fal.adapter.poll.round.rows")
                .description("Rows handled by one polling round")
                .register(registry);
        this.redelivered = Counter.builder("fal.adapter.dispatch.redelivered")
                .description("GenerationDispatched records whose attempt was already recorded (never resubmitted)")
                .register(registry);
    }

    public void outcome(String outcome, String errorType) {
        Counter.builder("fal.adapter.outcomes")
                .description("Finished or stuck generation attempts, by outcome and error type")
                .tag("outcome", outcome)
                .tag("error_type", errorType == null ? "none" : errorType)
                .register(registry)
                .increment();
    }

    public void redelivered() {
        redelivered.increment();
    }

    public double redeliveredCount() {
        return redelivered.count();
    }

    @Scheduled(every = "${fal.metrics.refresh}", delayed = "1s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        return repository.countByState()
                .invoke(counts -> inFlight.forEach((state, value) -> value.set(counts.getOrDefault(state, 0L))))
                .onFailure().invoke(f -> LOG.debugf("in-flight gauges not refreshed: %s", f.getMessage()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    /**
     * {@code fal_adapter_poll_round_seconds} and {@code fal_adapter_poll_round_rows}: how long one
     * polling round (claim, fal calls, apply) took and how many rows it handled; with the in-flight
     * gauges they tell how long a pass over every open request takes.
     */
    public void pollRound(long nanos, int rows) {
        pollRoundTime.record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
        pollRoundRows.record(rows);
    }

    /** {@code fal_adapter_cancel_requests_total{effect=no_attempt|pending|already_done}}. */
    public void cancelRequest(String effect) {
        Counter.builder("fal.adapter.cancel.requests")
                .description("GenerationCancelRequested records, by what they found")
                .tag("effect", effect)
                .register(registry)
                .increment();
    }

    /** {@code fal_adapter_webhooks_total{result=accepted|rejected|error, reason}}: verification failures by reason. */
    public void webhook(String result, String reason) {
        Counter.builder("fal.adapter.webhooks")
                .description("fal webhook deliveries by verification result")
                .tag("result", result)
                .tag("reason", reason)
                .register(registry)
                .increment();
    }
}
