package ai.vidgen.request.persistence;

import java.time.Instant;

/** One stage a generation reached, at the time its event says it happened. */
public record TimelineEntry(String stage, int attempt, Instant at) {
}
