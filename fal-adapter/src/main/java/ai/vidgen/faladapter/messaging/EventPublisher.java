package ai.vidgen.faladapter.messaging;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/**
 * Publishes the adapter's lifecycle events to {@code generation-events} (channel {@code events-out}).
 * The returned {@link Uni} is lazy and completes when the broker acknowledged the record
 * ({@code acks=all}), so callers change their state only after the event is durable.
 */
@ApplicationScoped
public class EventPublisher {

    public static final String SOURCE = "/vidgen/fal-adapter";

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec = new EventCodec(SOURCE);

    public EventPublisher(@Channel("events-out") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    public Uni<Void> publish(GenerationEvent event) {
        return Uni.createFrom().deferred(() -> emitter.sendMessage(KafkaEventMessages.of(codec, event)));
    }
}
