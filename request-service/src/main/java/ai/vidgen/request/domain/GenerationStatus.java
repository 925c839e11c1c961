package ai.vidgen.request.domain;

import java.util.Arrays;
import java.util.Optional;

/** The status a client sees, folded from the events of every service. */
public enum GenerationStatus {
    /** Accepted, waiting for admission or for fal capacity (also between attempts). */
    QUEUED("queued", false),
    /** fal has it: queued at fal or rendering. */
    IN_PROGRESS("in_progress", false),
    /** fal finished; the MP4 is being copied into our storage. */
    ARCHIVING("archiving", false),
    /** The MP4 is archived and can be downloaded. */
    COMPLETED("completed", true),
    FAILED("failed", true),
    CANCELLED("cancelled", true),
    /** Admission refused it before anything was spent (budget, price). */
    REJECTED("rejected", true);

    private final String wire;
    private final boolean terminal;

    GenerationStatus(String wire, boolean terminal) {
        this.wire = wire;
        this.terminal = terminal;
    }

    public String wire() {
        return wire;
    }

    /** A terminal status never changes again. */
    public boolean terminal() {
        return terminal;
    }

    public static Optional<GenerationStatus> fromWire(String value) {
        return Arrays.stream(values()).filter(s -> s.wire.equals(value)).findFirst();
    }
}
