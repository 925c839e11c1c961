package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.QueueStats;
import com.fasterxml.jackson.databind.PropertyNamingStrategies;
import com.fasterxml.jackson.databind.annotation.JsonNaming;

/** The account counters; prices are computed by the platform, not here. */
@JsonNaming(PropertyNamingStrategies.SnakeCaseStrategy.class)
public record EmulatorStats(long totalSubmissions, int remembered, int queued, int inProgress, int completed,
                            int succeeded, int failed, int cancelled, int peakInProgress, int concurrency) {

    static EmulatorStats of(QueueStats stats) {
        return new EmulatorStats(stats.totalSubmissions(), stats.remembered(), stats.queued(), stats.inProgress(),
                stats.completed(), stats.succeeded(), stats.failed(), stats.cancelled(), stats.peakInProgress(),
                stats.concurrency());
    }
}
