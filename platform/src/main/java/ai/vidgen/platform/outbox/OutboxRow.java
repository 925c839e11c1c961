package ai.vidgen.platform.outbox;

/** One unpublished event: the CloudEvent JSON exactly as committed with the state change. */
public record OutboxRow(long id, String generationId, String eventId, String eventType, String cloudEvent) {
}
