package ai.vidgen.request.domain;

/** What one event does to a generation's read model. */
public sealed interface FoldOutcome {

    /** The event is behind what the read model shows (late or after a terminal status): ignore it. */
    record Stale() implements FoldOutcome {
    }

    /**
     * The event is current: record {@code stage} in the timeline and take {@code next} as the new
     * position (which may equal the old one, e.g. another progress report of the same attempt).
     */
    record Advance(Progression next, Stage stage, int stageAttempt) implements FoldOutcome {
    }

    /** The event adds facts (the cost) and a timeline entry without touching the status. */
    record Annotate(Stage stage) implements FoldOutcome {
    }
}
