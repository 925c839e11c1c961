package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.domain.Capacity;
import ai.vidgen.dispatcher.persistence.OutboxRepository;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.persistence.ReleasedGeneration;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.envelope.EventCodec;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.jboss.logging.Logger;

/**
 * Releases QUEUED generations to fal under the global in-flight limit.
 *
 * <p>One pass is one transaction: take the dispatch advisory lock (passes of all replicas are
 * serialized, because the limit is global), count DISPATCHED, lock the next QUEUED rows up to
 * the free capacity with {@code FOR UPDATE SKIP LOCKED}, mark them DISPATCHED and write their
 * GenerationDispatched events to the outbox.
 *
 * <p>Why the outbox rather than publishing here: marking and announcing commit together, so a
 * crash can lose neither half. Publishing first and marking after would also be safe (the event
 * id is deterministic per generation and attempt, so a re-publish is a harmless duplicate), but
 * it would hold the dispatch lock across a Kafka round trip, and a Kafka outage would stall the
 * passes of every replica. With the outbox the lock is held for a few statements, and the relay
 * publishes and awaits the broker's ack on its own.
 */
@ApplicationScoped
public class DispatchWorker {

    private static final Logger LOG = Logger.getLogger(DispatchWorker.class);

    private final Pool pool;
    private final QueueRepository queue;
    private final OutboxRepository outbox;
    private final OutboxRelay relay;
    private final DispatcherMetrics metrics;
    private final int maxInFlight;
    private final SerialTask task;

    public DispatchWorker(Pool pool, QueueRepository queue, OutboxRepository outbox, OutboxRelay relay,
            DispatcherMetrics metrics, DispatcherConfig config) {
        this.pool = pool;
        this.queue = queue;
        this.outbox = outbox;
        this.relay = relay;
        this.metrics = metrics;
        this.maxInFlight = config.maxInFlight();
        this.task = new SerialTask("dispatch", this::pass, Duration.ofSeconds(60));
    }

    /** Asks for a dispatch pass soon; returns at once. */
    public void kick() {
        task.kick();
    }

    Uni<Boolean> pass() {
        return pool.withTransaction(tx -> queue.lockDispatch(tx)
                        .chain(() -> queue.countInFlight(tx))
                        .chain(inFlight -> {
                            int free = Capacity.free(maxInFlight, inFlight);
                            if (free == 0) {
                                return Uni.createFrom().item(List.<ReleasedGeneration>of());
                            }
                            return queue.lockNextQueued(tx, free)
                                    .chain(ids -> ids.isEmpty()
                                            ? Uni.createFrom().item(List.<ReleasedGeneration>of())
                                            : queue.markDispatched(tx, ids));
                        })
                        .call(released -> outbox.append(tx, released.stream().map(DispatchWorker::event).toList())))
                .map(released -> {
                    if (!released.isEmpty()) {
                        for (ReleasedGeneration r : released) {
                            LOG.infof("dispatched %s of tenant %s (attempt %d, fal priority %s)", r.generationId(),
                                    r.tenantId(), r.attempt(), r.falPriority());
                            metrics.dispatched(r.falPriority());
                        }
                        relay.kick();
                    }
                    // A pass takes all the capacity it can; nothing more to do until a slot frees.
                    return false;
                });
    }

    static GenerationDispatched event(ReleasedGeneration r) {
        try {
            ObjectNode input = (ObjectNode) EventCodec.mapper().readTree(r.inputJson());
            return new GenerationDispatched(r.generationId(), r.tenantId(), r.spec(), input, r.attempt(),
                    r.falPriority());
        } catch (JsonProcessingException | ClassCastException e) {
            // The column is jsonb written from an ObjectNode: this cannot happen short of manual edits.
            throw new IllegalStateException("stored input of " + r.generationId() + " is not a JSON object", e);
        }
    }
}
