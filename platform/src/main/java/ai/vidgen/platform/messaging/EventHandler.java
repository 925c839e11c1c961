package ai.vidgen.platform.messaging;

import ai.vidgen.events.envelope.DecodedEvent;
import io.smallrye.mutiny.Uni;

/**
 * What a service does with one lifecycle event. The template calls it again after a transient
 * failure, so it must be idempotent (unique constraints, not checks); it throws
 * {@link RejectedEventException} for a valid CloudEvent that breaks the contract.
 */
@FunctionalInterface
public interface EventHandler {
    Uni<Void> handle(DecodedEvent event);
}
