package ai.vidgen.falemulator.domain;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * What one dispatch round did: the requests it moved to IN_PROGRESS, and when the head of the
 * queue becomes eligible if it was held back only by the queue delay.
 */
public record Dispatch(List<NewRequest> started, Optional<Duration> retryIn) {
}
