package ai.vidgen.storage.archive;

import ai.vidgen.storage.domain.FailureReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;

/**
 * The archive's Prometheus metrics (at {@code /q/metrics}): what was archived, how long it took and
 * why it failed, so a CDN outage or a wave of corrupt renders shows on a dashboard.
 */
@ApplicationScoped
public class ArchiveMetrics {

    private final MeterRegistry registry;
    private final Counter bytesArchived;
    private final Counter redelivered;
    private final DistributionSummary intakeBatches;

    public ArchiveMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.bytesArchived = Counter.builder("vidgen.storage.archived.bytes")
                .description("Bytes of video archived and verified")
                .baseUnit("bytes")
                .register(registry);
        this.redelivered = Counter.builder("vidgen.storage.archive.redelivered")
                .description("Redelivered completions found recorded already: nothing downloaded or published again")
                .register(registry);
        this.intakeBatches = DistributionSummary.builder("vidgen.storage.archive.intake.batch")
                .description("Completions recorded per transaction of the consumer")
                .register(registry);
    }

    public void archived(ArchivedVideo video, Duration took) {
        bytesArchived.increment(video.bytes());
        timer("archived").record(took);
    }

    public void failed(FailureReason reason, Duration took) {
        Counter.builder("vidgen.storage.archive.failures")
                .description("Archives given up, by reason")
                .tag("reason", reason.code())
                .register(registry)
                .increment();
        timer("failed").record(took);
    }

    public void retried(FailureReason reason) {
        Counter.builder("vidgen.storage.archive.retries")
                .description("Downloads repeated after a retryable failure, by reason")
                .tag("reason", reason.code())
                .register(registry)
                .increment();
    }

    public void redelivered() {
        redelivered.increment();
    }

    public void intakeBatch(int completions) {
        intakeBatches.record(completions);
    }

    private Timer timer(String outcome) {
        return Timer.builder("vidgen.storage.archive.duration")
                .description("Time from the completion's arrival to the verified, stored video (or the final failure)")
                .tag("outcome", outcome)
                .publishPercentileHistogram()
                .register(registry);
    }
}
