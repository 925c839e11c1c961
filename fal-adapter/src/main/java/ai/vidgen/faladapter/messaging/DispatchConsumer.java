package ai.vidgen.faladapter.messaging;

import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import ai.vidgen.faladapter.tracking.Submitter;
import ai.vidgen.faladapter.tracking.VertxContexts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.concurrent.Executor;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code generation-events} (group {@code fal-adapter}) and hands every GenerationDispatched
 * to the {@link Submitter}; other events are acknowledged and ignored. The record is acknowledged
 * only after the submission's outcome is durable (row and published event), so a crash means a
 * redelivery, which the submitter recognises and never resubmits.
 */
@ApplicationScoped
public class DispatchConsumer {

    private static final Logger LOG = Logger.getLogger(DispatchConsumer.class);

    private final Submitter submitter;
    private final VertxContexts contexts;

    public DispatchConsumer(Submitter submitter, VertxContexts contexts) {
        this.submitter = submitter;
        this.contexts = contexts;
    }

    @Incoming("generation-events")
    public Uni<Void> consume(Message<String> message) {
        DecodedEvent decoded;
        try {
            decoded = EventCodec.decode(message.getPayload());
        } catch (UndecodableEventException e) {
            LOG.warnf("undecodable record sent to the dead-letter topic: %s", e.getMessage());
            return Uni.createFrom().completionStage(message.nack(e));
        }
        if (!(decoded.data() instanceof GenerationDispatched dispatched)) {
            return Uni.createFrom().completionStage(message.ack());
        }
        Executor context = contexts.current();
        // A processing failure (database or broker down) is retried here, never dead-lettered:
        // the submitter is idempotent, and it never submits an attempt twice.
        return Uni.createFrom().deferred(() -> submitter.handle(dispatched))
                .runSubscriptionOn(context)
                .onFailure().invoke(f -> LOG.warnf("generation %s attempt %d: handling failed, retrying: %s",
                        dispatched.generationId(), dispatched.attempt(), f.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).withJitter(0.2)
                .indefinitely()
                .chain(() -> Uni.createFrom().completionStage(message.ack()));
    }
}
