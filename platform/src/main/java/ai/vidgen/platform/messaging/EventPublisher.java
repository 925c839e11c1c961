package ai.vidgen.platform.messaging;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.platform.tracing.RecentTraces;
import ai.vidgen.platform.tracing.TraceParent;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes this service's lifecycle events on {@code generation-events} (channel
 * {@code events-out}): structured-mode CloudEvents keyed by generation id, carrying the
 * generation's trace. The returned {@link Uni} is lazy and completes when the broker has
 * acknowledged the record ({@code acks=all}), so a caller commits its input only once its output
 * is durable.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String CHANNEL = "events-out";

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec;
    private final RecentTraces traces;

    public EventPublisher(@Channel(CHANNEL) MutinyEmitter<String> emitter, EventCodec codec, RecentTraces traces) {
        this.emitter = emitter;
        this.codec = codec;
        this.traces = traces;
    }

    /** In the current span's trace, else the generation's last seen trace. */
    public Uni<Void> publish(GenerationEvent event) {
        return Uni.createFrom().deferred(() -> send(envelope(event, traces.forPublishing(event.generationId()))));
    }

    /** In the given trace (one kept in a row for work that continues later). */
    public Uni<Void> publish(GenerationEvent event, Optional<TraceParent> trace) {
        return Uni.createFrom().deferred(() -> send(envelope(event,
                trace.isPresent() ? trace : traces.forPublishing(event.generationId()))));
    }

    /** An envelope already encoded, published byte for byte (its id and time as first written). */
    public Uni<Void> publishEncoded(String generationId, String cloudEventJson) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(KafkaEventMessages.of(generationId, cloudEventJson)));
    }

    private CloudEvent envelope(GenerationEvent event, Optional<TraceParent> trace) {
        CloudEvent envelope = codec.envelope(event);
        return trace.map(t -> t.stamp(envelope)).orElse(envelope);
    }

    private Uni<Void> send(CloudEvent envelope) {
        return emitter.sendMessage(KafkaEventMessages.of(envelope.subject(), EventCodec.write(envelope)));
    }
}
