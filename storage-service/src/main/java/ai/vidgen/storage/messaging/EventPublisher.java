package ai.vidgen.storage.messaging;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

/** Publishes this service's events on {@code generation-events}, keyed by generation id. */
@ApplicationScoped
public class EventPublisher {

    private final MutinyEmitter<String> emitter;
    private final EventCodec codec;

    public EventPublisher(@Channel("events-out") MutinyEmitter<String> emitter, EventCodec codec) {
        this.emitter = emitter;
        this.codec = codec;
    }

    /**
     * Completes when the broker has acknowledged the record ({@code acks=all}), so the caller can
     * commit its input only once the output is durable.
     */
    public Uni<Void> publish(GenerationEvent event) {
        return emitter.sendMessage(KafkaEventMessages.of(codec, event));
    }
}
