package ai.vidgen.dispatcher.persistence;

/** An event of this service the outbox relay set aside because the broker refused it for good. */
public record RefusedEvent(String generationId, String eventId, String eventType, String reason) {
}
