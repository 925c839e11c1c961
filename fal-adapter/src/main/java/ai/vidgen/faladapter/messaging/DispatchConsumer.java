package ai.vidgen.faladapter.messaging;

import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.tracking.Abandoner;
import ai.vidgen.faladapter.tracking.Canceller;
import ai.vidgen.faladapter.tracking.Submitter;
import ai.vidgen.platform.messaging.Delivery;
import ai.vidgen.platform.messaging.EventConsumers;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Reads {@code generation-events} (group {@code fal-adapter}) and hands every GenerationDispatched
 * to the {@link Submitter}, every GenerationCancelRequested to the {@link Canceller} and every
 * GenerationAbandoned to the {@link Abandoner}; other events are acknowledged at once and ignored. Up to {@code fal.dispatch.concurrency} records are
 * handled at once, those of one generation in order ({@link KeyedLanes}), so a cancel request is
 * seen after the Dispatched published before it. Records may be acknowledged out of order; the
 * connector commits an offset only once every record before it is acknowledged.
 *
 * <p>Each unit of work goes through the shared consumer template ({@link EventConsumers}): in a
 * span of the generation's trace, on a Vert.x context (and database session) of its own, with
 * transient failures retried for as long as they last, and the record acknowledged only after the
 * submission's outcome is durable (row and published event), so a crash means a redelivery,
 * which the submitter recognises and never resubmits. The record is decoded once, here: its
 * generation is the lane, and the template gets the decoded event.
 */
@ApplicationScoped
public class DispatchConsumer {

    static final String CONSUMER = "fal-submit";

    private final Submitter submitter;
    private final Canceller canceller;
    private final Abandoner abandoner;
    private final EventConsumers consumers;
    private final KeyedLanes lanes;

    public DispatchConsumer(Submitter submitter, Canceller canceller, Abandoner abandoner, EventConsumers consumers,
            FalConfig config) {
        this.submitter = submitter;
        this.canceller = canceller;
        this.abandoner = abandoner;
        this.consumers = consumers;
        this.lanes = new KeyedLanes(config.dispatch().concurrency());
    }

    @Incoming("generation-events")
    public Uni<Void> consume(Message<String> message) {
        DecodedEvent decoded;
        try {
            decoded = EventCodec.decode(message.getPayload());
        } catch (UndecodableEventException e) {
            // The template dead-letters it with the reason, as it does for every consumer.
            return consumers.consume(CONSUMER, message, undecodable -> {
                throw e;
            }, this::handle);
        }
        if (!(decoded.data() instanceof GenerationDispatched || decoded.data() instanceof GenerationCancelRequested
                || decoded.data() instanceof GenerationAbandoned)) {
            return Uni.createFrom().completionStage(message.ack());
        }
        Delivery<DecodedEvent> delivery = Delivery.of(decoded);
        return lanes.admit(delivery.generationId(), () -> consumers.consume(CONSUMER, message, m -> delivery,
                this::handle));
    }

    private Uni<Void> handle(Delivery<DecodedEvent> delivery) {
        if (delivery.value().data() instanceof GenerationDispatched dispatched) {
            return submitter.handle(dispatched);
        }
        if (delivery.value().data() instanceof GenerationAbandoned abandoned) {
            return abandoner.handle(abandoned);
        }
        return canceller.handle((GenerationCancelRequested) delivery.value().data());
    }
}
