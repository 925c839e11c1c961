package ai.vidgen.billing.domain;

import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.Startup;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.Arrays;

/**
 * Event-driven metrics with bounded label values (families, tiers and booleans are
 * enumerations; endpoints are the {@link KlingEndpoint} catalogue or {@code other}; tenants are
 * as many as the platform has customers).
 *
 * <p>These are process-local counters and start at zero on restart: use them for rates
 * ({@code rate()} handles the reset). Spend totals come from {@link LedgerGauges}, which reads the
 * ledger itself.
 */
@Startup
@ApplicationScoped
public class BillingMetrics {

    /** Outcomes of a fal attempt, as the provider performance table counts them. */
    public static final String COMPLETED = "completed";
    public static final String FAILED = "failed";

    private static final Duration[] BUCKETS = Arrays.stream(new long[] {100, 250, 500, 1_000, 2_500, 5_000, 10_000,
            20_000, 30_000, 45_000, 60_000, 90_000, 120_000, 180_000, 240_000, 300_000, 450_000, 600_000, 900_000,
            1_200_000, 1_800_000}).mapToObj(Duration::ofMillis).toArray(Duration[]::new);

    private final MeterRegistry registry;

    public BillingMetrics(MeterRegistry registry) {
        this.registry = registry;
        // Every series exists from the start at zero, so that rate() and histogram_quantile()
        // see the first generation of an endpoint as an increase, not as the series' birth.
        Arrays.stream(KlingEndpoint.values()).filter(KlingEndpoint::producesVideo).forEach(e -> {
            outcomes(e.id(), COMPLETED);
            outcomes(e.id(), FAILED);
            generationTime(e.id());
            if (e.outputDecidesDuration()) {
                overruns(e.id());
                overrunMicros(e.id());
            }
        });
        Arrays.stream(LossCause.values()).forEach(this::unbilledLoss);
        registry.counter("billing.late.completions");
        overruns("other");
        overrunMicros("other");
        registry.counter("billing.reservations.released");
    }

    /** A bounded label value for an endpoint id: the catalogue's ids, or {@code other}. */
    public static String endpointLabel(String endpointId) {
        return endpointId != null && KlingEndpoint.byId(endpointId).isPresent() ? endpointId : "other";
    }

    public void charged(GenerationBilled billed) {
        Tags tags = Tags.of("model_family", billed.modelFamily(), "tier", billed.tier(),
                "audio", Boolean.toString(billed.audio()), "voice_control", Boolean.toString(billed.voiceControl()),
                "tenant", billed.tenantId());
        Counter.builder("billing.charged.micros").description("Charged amount in micro-dollars (since process start)")
                .tags(tags).register(registry).increment(billed.amountMicros());
        Counter.builder("billing.billed.seconds").description("Billed seconds of generated video (since process start)")
                .tags(tags).register(registry).increment(billed.billedSeconds());
    }

    public void lateCompletion() {
        registry.counter("billing.late.completions").increment();
    }

    /**
     * A settlement longer than its reservation: charged the reservation, {@code lossMicros} (fal's
     * price of the seconds beyond it) booked as an {@link LossCause#OVERRUN} loss. Reservations are
     * meant as upper bounds, so any increase here is a reservation that was too small (the alert
     * {@code VidgenReservationOverrun} in deploy/prometheus/alerts.yml).
     */
    public void overrun(String endpointId, long lossMicros) {
        String endpoint = endpointLabel(endpointId);
        overruns(endpoint).increment();
        overrunMicros(endpoint).increment(lossMicros);
    }

    private Counter overruns(String endpoint) {
        return Counter.builder("billing.overruns")
                .description("settlements whose measured video was longer than the reservation, by endpoint")
                .tags(KlingEndpoint.METRIC_LABEL, endpoint).register(registry);
    }

    private Counter overrunMicros(String endpoint) {
        return Counter.builder("billing.overrun.micros")
                .description("fal's cost of the seconds beyond reservations, micro-dollars, by endpoint (since process start)")
                .tags(KlingEndpoint.METRIC_LABEL, endpoint).register(registry);
    }

    /** fal's cost of output the tenant does not pay for, by why (a {@link LossCause} label). */
    public void unbilledLoss(LossCause cause, long micros) {
        unbilledLoss(cause).increment(micros);
    }

    private Counter unbilledLoss(LossCause cause) {
        return Counter.builder("billing.unbilled.loss.micros")
                .description("fal's cost of output not charged to the tenant, micro-dollars (since process start)")
                .tags("cause", cause.label()).register(registry);
    }

    public void released() {
        registry.counter("billing.reservations.released").increment();
    }

    /** One fal attempt ended; counted once per (generation, attempt) by the caller. */
    public void attemptEnded(String endpointId, String outcome, Long inferenceMillis) {
        String endpoint = endpointLabel(endpointId);
        outcomes(endpoint, outcome).increment();
        if (COMPLETED.equals(outcome) && inferenceMillis != null && inferenceMillis >= 0) {
            generationTime(endpoint).record(Duration.ofMillis(inferenceMillis));
        }
    }

    private Counter outcomes(String endpoint, String outcome) {
        return Counter.builder("billing.generation.outcomes")
                .description("fal attempts that ended, by endpoint and outcome (completed or failed)")
                .tags(KlingEndpoint.METRIC_LABEL, endpoint, "outcome", outcome).register(registry);
    }

    private Timer generationTime(String endpoint) {
        return Timer.builder("billing.generation.duration")
                .description("fal's reported inference time of completed generations")
                .tags(KlingEndpoint.METRIC_LABEL, endpoint)
                // Fixed buckets from 100 ms to 30 min (21 per endpoint) rather than Micrometer's
                // ~70 percentile-histogram buckets: enough for p50/p95 with histogram_quantile,
                // at a third of the series.
                .serviceLevelObjectives(BUCKETS)
                .register(registry);
    }
}
