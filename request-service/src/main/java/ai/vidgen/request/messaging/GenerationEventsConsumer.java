package ai.vidgen.request.messaging;

import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.UndecodableEventException;
import ai.vidgen.request.persistence.ReadModelRepository;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.jboss.logging.Logger;

/**
 * Keeps the read model: every event on {@code generation-events}, from every service, folded
 * into its generation's status, one at a time in partition order.
 *
 * <p>Failures are split by whose fault they are. A record that is not one of our CloudEvents is
 * nacked and goes to the dead-letter topic, so it never stalls the partition. A database that is
 * down is waited out with backoff, holding the partition, because a valid event must never be
 * dropped. A database that refuses the data itself (a constraint or data error, which retrying
 * cannot fix) is dead-lettered too, with the reason.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationEventsConsumer.class);

    private final ReadModelRepository readModel;
    private final MeterRegistry registry;

    public GenerationEventsConsumer(ReadModelRepository readModel, MeterRegistry registry) {
        this.readModel = readModel;
        this.registry = registry;
    }

    @Incoming("generation-events")
    public Uni<Void> consume(String value) {
        DecodedEvent decoded;
        try {
            decoded = EventCodec.decode(value);
        } catch (UndecodableEventException e) {
            LOG.warnf("dead-lettering an undecodable record: %s", e.getMessage());
            count("undecodable", "unknown");
            return Uni.createFrom().failure(e);
        }
        String type = decoded.envelope().type();
        return readModel.fold(decoded)
                .onFailure(GenerationEventsConsumer::isTransient)
                .invoke(f -> LOG.warnf("cannot fold %s yet, retrying: %s", decoded.envelope().id(), f.toString()))
                .onFailure(GenerationEventsConsumer::isTransient)
                .retry().withBackOff(Duration.ofMillis(100), Duration.ofSeconds(10)).indefinitely()
                .invoke(result -> {
                    count(result.name().toLowerCase(), type);
                    LOG.debugf("%s %s: %s", type, decoded.data().generationId(), result);
                })
                .replaceWithVoid();
    }

    /**
     * Connection loss, shutdown, serialization conflicts and resource exhaustion pass; errors in
     * the data (SQLSTATE classes 22 and 23) and in the statement (42) do not.
     */
    static boolean isTransient(Throwable failure) {
        if (failure instanceof PgException pg && pg.getSqlState() != null) {
            String sqlClass = pg.getSqlState().substring(0, 2);
            return !(sqlClass.equals("22") || sqlClass.equals("23") || sqlClass.equals("42"));
        }
        return !(failure instanceof IllegalArgumentException || failure instanceof IllegalStateException
                || failure instanceof NullPointerException || failure instanceof ClassCastException);
    }

    private void count(String outcome, String type) {
        registry.counter("vidgen.request.events.folded", "outcome", outcome, "type", type).increment();
    }
}
