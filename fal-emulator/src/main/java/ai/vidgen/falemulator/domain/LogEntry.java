package ai.vidgen.falemulator.domain;

import java.time.Instant;

/** One line of a request's runner log, as the status call reports it with {@code logs=1}. */
public record LogEntry(Instant timestamp, String level, String message) {

    public static LogEntry info(Instant at, String message) {
        return new LogEntry(at, "INFO", message);
    }

    public static LogEntry error(Instant at, String message) {
        return new LogEntry(at, "ERROR", message);
    }
}
