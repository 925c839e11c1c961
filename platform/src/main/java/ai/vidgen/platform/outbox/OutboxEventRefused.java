package ai.vidgen.platform.outbox;

/**
 * A CDI event fired when the broker refused an outbox event for good (too large, invalid): the row
 * was set aside with the reason so the rows behind it could go out. A service observes it to end
 * the generation the event belonged to.
 */
public record OutboxEventRefused(String generationId, String eventId, String eventType, String reason) {
}
