package ai.vidgen.events;

/**
 * Kafka topic names shared by every service.
 *
 * <p>All lifecycle events of a generation travel on one topic, keyed by generation id, so that
 * one generation's events stay in order on one partition whatever service emitted them.
 */
public final class Topics {
    /** Every {@link GenerationEvent}, as a structured-mode CloudEvent. */
    public static final String GENERATION_EVENTS = "generation-events";
    /** Submit and cancel commands from upstream systems. */
    public static final String GENERATION_COMMANDS = "generation-commands";
    /** Answers to upstream commands, keyed by the producer's correlation id. */
    public static final String GENERATION_REPLIES = "generation-replies";
    /** Records no service could decode, with the reason in their headers. */
    public static final String DEAD_LETTERS = "generation-dead-letters";

    private Topics() {
    }
}
