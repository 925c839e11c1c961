package ai.vidgen.request.messaging;

import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.platform.messaging.EventConsumers;
import ai.vidgen.request.persistence.ReadModelRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;

/**
 * Keeps the read model: every event on {@code generation-events}, from every service, folded
 * into its generation's status, one at a time in partition order.
 *
 * <p>The platform's consumer template ({@link EventConsumers}) does the rest: a record that is not
 * one of our CloudEvents goes to the dead-letter topic, a database that is down is waited out with
 * backoff holding the partition (a valid event is never dropped), and a database that refuses the
 * data itself (a constraint or data error, which retrying cannot fix) is dead-lettered with the
 * reason.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    /** The consumer's name in the template's logs, spans and metrics. */
    static final String CONSUMER = "read-model";

    private final EventConsumers consumers;
    private final ReadModelRepository readModel;
    private final MeterRegistry registry;

    public GenerationEventsConsumer(EventConsumers consumers, ReadModelRepository readModel, MeterRegistry registry) {
        this.consumers = consumers;
        this.readModel = readModel;
        this.registry = registry;
    }

    @Incoming("generation-events")
    public Uni<Void> consume(Message<String> message) {
        return consumers.consume(CONSUMER, message, this::fold);
    }

    /** Idempotent: a redelivered event meets its dedup key in {@code processed_events}. */
    Uni<Void> fold(DecodedEvent event) {
        return readModel.fold(event)
                .invoke(result -> registry.counter("vidgen.request.events.folded", "outcome",
                        result.name().toLowerCase(), "type", event.envelope().type()).increment())
                .replaceWithVoid();
    }
}
