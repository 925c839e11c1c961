package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.persistence.OutboxEntry;
import ai.vidgen.dispatcher.persistence.OutboxRepository;
import ai.vidgen.events.envelope.KafkaEventMessages;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes outbox events to {@code generation-events} and deletes them once the broker has
 * acknowledged. One relay runs at a time across replicas (an advisory lock held by the pass's
 * transaction), in outbox order, so one generation's events leave in the order they were written.
 * A crash or a failed send between publish and delete re-publishes on the next pass: the stored
 * CloudEvent (id derived from generation, type and attempt) goes out byte for byte again, so
 * consumers see a duplicate of the same fact and drop it.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final Pool pool;
    private final OutboxRepository outbox;
    private final MutinyEmitter<String> emitter;
    private final DispatcherConfig.Outbox config;
    private final SerialTask task;

    public OutboxRelay(Pool pool, OutboxRepository outbox, @Channel("events-out") MutinyEmitter<String> emitter,
            DispatcherConfig config) {
        this.pool = pool;
        this.outbox = outbox;
        this.emitter = emitter;
        this.config = config.outbox();
        Duration timeout = this.config.publishTimeout().plusSeconds(30);
        this.task = new SerialTask("outbox relay", this::pass, timeout);
    }

    /** Asks for a relay pass soon; returns at once. */
    public void kick() {
        task.kick();
    }

    Uni<Boolean> pass() {
        return pool.withTransaction(tx -> outbox.lockRelay(tx)
                .chain(() -> outbox.oldest(tx, config.batchSize()))
                .chain(entries -> publishInOrder(entries)
                        .call(() -> outbox.delete(tx, entries.stream().map(OutboxEntry::id).toList()))
                        // a full batch: more is probably waiting
                        .replaceWith(entries.size() >= config.batchSize())));
    }

    /**
     * Sends the batch in outbox order, pipelined (the idempotent producer keeps the order within a
     * partition), and completes when the broker has acknowledged every event.
     */
    private Uni<Void> publishInOrder(List<OutboxEntry> entries) {
        if (entries.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        List<Uni<Void>> sends = entries.stream()
                .map(entry -> emitter.sendMessage(KafkaEventMessages.of(entry.generationId(), entry.cloudEvent()))
                        .invoke(() -> LOG.debugf("published %s", entry.eventId())))
                .toList();
        return Uni.join().all(sends).andFailFast()
                .ifNoItem().after(config.publishTimeout()).fail()
                .replaceWithVoid();
    }
}
