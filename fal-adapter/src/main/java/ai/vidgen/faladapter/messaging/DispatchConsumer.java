package ai.vidgen.faladapter.messaging;

import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.tracking.Canceller;
import ai.vidgen.faladapter.tracking.Submitter;
import ai.vidgen.faladapter.tracking.VertxContexts;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.function.Supplier;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code generation-events} (group {@code fal-adapter}) and hands every GenerationDispatched
 * to the {@link Submitter} and every GenerationCancelRequested to the {@link Canceller}; other
 * events are acknowledged and ignored. Up to {@code fal.dispatch.concurrency} records are handled
 * at once, those of one generation in order ({@link KeyedLanes}), so a cancel request is seen
 * after the Dispatched published before it. Records may be acknowledged out of order; the
 * connector commits an offset only once every record before it is acknowledged. The record is acknowledged
 * only after the submission's outcome is durable (row and published event), so a crash means a
 * redelivery, which the submitter recognises and never resubmits.
 */
@ApplicationScoped
public class DispatchConsumer {

    private static final Logger LOG = Logger.getLogger(DispatchConsumer.class);

    private final Submitter submitter;
    private final Canceller canceller;
    private final VertxContexts contexts;
    private final KeyedLanes lanes;

    public DispatchConsumer(Submitter submitter, Canceller canceller, VertxContexts contexts, FalConfig config) {
        this.submitter = submitter;
        this.canceller = canceller;
        this.lanes = new KeyedLanes(config.dispatch().concurrency());
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
        Supplier<Uni<Void>> work;
        if (decoded.data() instanceof GenerationCancelRequested cancel) {
            work = () -> settled(message, () -> canceller.handle(cancel), "generation " + cancel.generationId()
                    + ": cancel request");
        } else if (decoded.data() instanceof GenerationDispatched dispatched) {
            work = () -> settled(message, () -> submitter.handle(dispatched), "generation " + dispatched.generationId()
                    + " attempt " + dispatched.attempt());
        } else {
            return Uni.createFrom().completionStage(message.ack());
        }
        return lanes.admit(decoded.data().generationId(), work);
    }

    /**
     * Runs one unit of work on a Vert.x context of its own (each holds its own database session,
     * so units run side by side), acknowledging the record once it is done. A processing failure
     * (database or broker down) is retried here, never dead-lettered: the submitter and canceller
     * are idempotent, and an attempt is never submitted twice.
     */
    private Uni<Void> settled(Message<String> message, Supplier<Uni<Void>> unit, String what) {
        // Built inside the subscription, so the handler captures the fresh context, not a neighbour's.
        return Uni.createFrom().<Void>deferred(unit::get)
                .runSubscriptionOn(contexts.fresh())
                .onFailure().invoke(f -> LOG.warnf("%s: handling failed, retrying: %s", what, f.toString()))
                .onFailure().retry().withBackOff(Duration.ofMillis(500), Duration.ofSeconds(30)).withJitter(0.2)
                .indefinitely()
                .chain(() -> Uni.createFrom().completionStage(message.ack()))
                .onFailure().call(f -> Uni.createFrom().completionStage(message.nack(f)));
    }
}
