package ai.vidgen.events;

/**
 * The data of one lifecycle event of a generation. Each permitted record is one CloudEvent
 * {@code type}; {@link EventType} maps between the two.
 */
public sealed interface GenerationEvent permits GenerationRequested, GenerationRejected, GenerationDispatched,
        GenerationSubmitted, GenerationProgress, AttemptEnded, GenerationCancelled,
        VideoArchived, ArchiveFailed, GenerationBilled, GenerationCancelRequested, GenerationReserved,
        GenerationAbandoned, ChargeCorrected {

    /** The generation this event belongs to; also the Kafka key and the CloudEvent subject. */
    String generationId();

    /** The tenant that owns the generation. */
    String tenantId();

    /**
     * What makes this event unique for its generation. Together with the type and the generation
     * id it forms the CloudEvent id, so a retried publish of the same fact carries the same id and
     * consumers can deduplicate on it.
     */
    default String discriminator() {
        return "";
    }

    /** True for the events after which fal will do no more work for this generation. */
    default boolean endsFalWork() {
        return false;
    }
}
