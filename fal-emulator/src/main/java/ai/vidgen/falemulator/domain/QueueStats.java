package ai.vidgen.falemulator.domain;

/**
 * Counters of the emulated account since start (or the last reset).
 *
 * @param totalSubmissions accepted submits, including requests already forgotten
 * @param remembered       requests currently queryable
 * @param peakInProgress   the most requests ever IN_PROGRESS at once; never above the limit
 */
public record QueueStats(long totalSubmissions, int remembered, int queued, int inProgress, int completed,
                         int succeeded, int failed, int cancelled, int peakInProgress, int concurrency) {
}
