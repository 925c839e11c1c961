package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.LogEntry;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * A log entry in every shape fal's clients read: {@code level}/{@code source} at the top (JS,
 * older docs) and under {@code labels} (Java client, SSE sample).
 */
public record LogLine(String message, String level, String source, String timestamp, Map<String, String> labels) {

    private static final String SOURCE = "USER";

    static LogLine of(LogEntry entry) {
        return new LogLine(entry.message(), entry.level(), SOURCE,
                entry.timestamp().truncatedTo(ChronoUnit.MILLIS).toString(),
                Map.of("level", entry.level(), "source", SOURCE));
    }
}
