package ai.vidgen.billing.messaging;

import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Channel;

@ApplicationScoped
public class BillingEventPublisher {

    private final EventCodec codec = new EventCodec("/vidgen/billing-service");
    private final MutinyEmitter<String> emitter;

    public BillingEventPublisher(@Channel("events-out") MutinyEmitter<String> emitter) {
        this.emitter = emitter;
    }

    /** Completes when the broker has acknowledged the event. */
    public Uni<Void> publish(GenerationEvent event) {
        return emitter.sendMessage(KafkaEventMessages.of(codec, event));
    }
}
