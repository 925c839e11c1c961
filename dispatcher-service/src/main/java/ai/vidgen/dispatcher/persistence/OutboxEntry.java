package ai.vidgen.dispatcher.persistence;

/** An event waiting in the outbox: the CloudEvent as encoded when its state change committed. */
public record OutboxEntry(long id, String generationId, String eventId, String cloudEvent) {
}
