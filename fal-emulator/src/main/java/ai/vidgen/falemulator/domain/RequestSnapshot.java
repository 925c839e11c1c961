package ai.vidgen.falemulator.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A consistent, immutable view of one request at one moment.
 *
 * @param queuePosition requests ahead of this one; only while IN_QUEUE
 * @param submissions   how many remembered requests had the same endpoint and input
 * @param traceparents  the {@code traceparent} header of the last call of each kind that carried one
 * @param inputFetches  the runner's downloads of the input media, once it has made them
 * @param forgotten     fal no longer answers for the request (fault {@code request_forgotten}):
 *                      its clients see an unknown id, the admin view still lists it
 */
public record RequestSnapshot(NewRequest request, RequestStatus status, Optional<Integer> queuePosition,
                              Optional<Instant> startedAt, Optional<Instant> completedAt,
                              Optional<Outcome> outcome, List<LogEntry> logs, int submissions,
                              Map<QueueCall, String> traceparents, List<InputFetch> inputFetches,
                              boolean forgotten) {

    public String id() {
        return request.id();
    }

    /** Seconds between start and completion; empty for requests that never started. */
    public Optional<Double> inferenceSeconds() {
        return startedAt.flatMap(start -> completedAt.map(end -> Duration.between(start, end).toNanos() / 1e9));
    }
}
