package ai.vidgen.dispatcher.domain;

import java.util.Locale;

/**
 * A generation's priority. Interactive work (a person is waiting) is released before batch work
 * and goes to fal's normal queue; batch work goes to fal's low-priority queue.
 */
public enum Priority {
    INTERACTIVE("interactive", "normal"),
    BATCH("batch", "low");

    private final String code;
    private final String falPriority;

    Priority(String code, String falPriority) {
        this.code = code;
        this.falPriority = falPriority;
    }

    /** The value in events and in the queue table. */
    public String code() {
        return code;
    }

    /** fal's queue priority for this priority. */
    public String falPriority() {
        return falPriority;
    }

    /**
     * Reads the priority of a GenerationRequested. Absent means interactive (the API's default);
     * a value this service does not know is treated as batch, the cheaper and safer choice.
     */
    public static Priority parse(String value) {
        if (value == null || value.isBlank()) {
            return INTERACTIVE;
        }
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "interactive" -> INTERACTIVE;
            default -> BATCH;
        };
    }

    public static Priority fromCode(String code) {
        for (Priority p : values()) {
            if (p.code.equals(code)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown priority " + code);
    }
}
