package ai.vidgen.events;

/** The MP4 could not be archived after every retry. */
public record ArchiveFailed(String generationId, String tenantId, String reason, String message)
        implements GenerationEvent {
}
