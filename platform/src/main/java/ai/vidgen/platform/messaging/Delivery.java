package ai.vidgen.platform.messaging;

import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.platform.tracing.TraceParent;
import java.util.Optional;

/**
 * A decoded record as the consumer template sees it: what to deduplicate on, which generation it
 * concerns, and the trace it continues.
 *
 * @param dedupKey     unique per fact (CloudEvent source and id); null when a record must never be skipped
 * @param type         the event or command type, for spans, logs and metrics
 * @param generationId the generation it concerns, if known
 */
public record Delivery<T>(T value, String dedupKey, String type, String generationId, Optional<TraceParent> trace) {

    public static Delivery<DecodedEvent> of(DecodedEvent event) {
        return new Delivery<>(event, event.dedupKey(), event.envelope().type(), event.data().generationId(),
                TraceParent.of(event.envelope()));
    }

    /** The event type's last segment, e.g. {@code GenerationCompleted} → {@code completed}. */
    public String shortType() {
        int dot = type.lastIndexOf('.');
        return dot < 0 ? type : type.substring(dot + 1);
    }
}
