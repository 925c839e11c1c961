package ai.vidgen.request.persistence;

/** An event waiting to be published: the CloudEvent JSON exactly as it was written at acceptance. */
public record OutboxRow(long id, String generationId, String eventId, String payload) {
}
