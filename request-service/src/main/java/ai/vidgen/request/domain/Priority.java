package ai.vidgen.request.domain;

import java.util.Arrays;
import java.util.Optional;

/** How urgently a generation should run; admission orders its queue by it. */
public enum Priority {
    INTERACTIVE("interactive"),
    BATCH("batch");

    private final String wire;

    Priority(String wire) {
        this.wire = wire;
    }

    /** The value in JSON and in events. */
    public String wire() {
        return wire;
    }

    public static Optional<Priority> fromWire(String value) {
        return Arrays.stream(values()).filter(p -> p.wire.equals(value)).findFirst();
    }
}
