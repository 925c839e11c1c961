package ai.vidgen.request.messaging;

import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.persistence.OutboxRepository;
import ai.vidgen.request.persistence.OutboxRow;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.time.Clock;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.OnOverflow;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka. This is what makes a 202 a promise: the request and its
 * GenerationRequested event were committed together, and the relay keeps trying until the broker
 * has acknowledged the event, whether Kafka was down at acceptance or the service restarted.
 *
 * <p>A pass runs every {@code request.outbox.interval} and right after each accept (the nudge
 * keeps latency low; the schedule is the guarantee). Passes never overlap within an instance, and
 * an advisory lock keeps them from overlapping across instances, so rows go out in order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private final OutboxRepository outbox;
    private final MutinyEmitter<String> emitter;
    private final int batchSize;
    private final Duration publishTimeout;
    private final Counter published;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();

    @Inject
    public OutboxRelay(OutboxRepository outbox,
            @Channel("events-out") @OnOverflow(value = OnOverflow.Strategy.BUFFER, bufferSize = 1000)
            MutinyEmitter<String> emitter,
            RequestConfig config, MeterRegistry registry) {
        this(outbox, emitter, config.outbox().batchSize(), config.outbox().publishTimeout(), registry);
    }

    /** The relay with its settings spelled out (tests run it against a fake outbox and broker). */
    OutboxRelay(OutboxRepository outbox, MutinyEmitter<String> emitter, int batchSize, Duration publishTimeout,
            MeterRegistry registry) {
        this.outbox = outbox;
        this.emitter = emitter;
        this.batchSize = batchSize;
        this.publishTimeout = publishTimeout;
        this.published = Counter.builder("vidgen.request.outbox.published")
                .description("Outbox events acknowledged by the broker").register(registry);
    }

    /** Not before the application runs: the emitter's channel is wired during startup. */
    @Scheduled(every = "${request.outbox.interval}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        nudge();
    }

    /** Asks for a pass soon; cheap and safe to call from anywhere, as often as wanted. */
    public void nudge() {
        pending.set(true);
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    private void drain() {
        pending.set(false);
        outbox.relayPass(batchSize, this::publish)
                .subscribe().with(this::afterPass, failure -> {
                    // Kafka or the database is unavailable: the rows stay unsent and the next
                    // scheduled pass tries again; looping here would only spin.
                    LOG.warnf("outbox relay pass failed, retrying on schedule: %s", failure.toString());
                    release();
                });
    }

    private void afterPass(int marked) {
        if (marked == batchSize || (marked >= 0 && pending.get())) {
            drain(); // a full batch means more may be waiting: keep going without waiting for the timer
            return;
        }
        release();
    }

    private void release() {
        running.set(false);
        // A nudge that arrived between the last check and the release must not be lost.
        if (pending.get() && running.compareAndSet(false, true)) {
            drain();
        }
    }

    /**
     * Hands the whole batch to the producer in order, then waits for every ack. Returns the ids to
     * mark as sent: the acknowledged prefix of the batch, so that after a failure the next pass
     * starts at the first unacknowledged row and order is kept (rows after it go out again, with
     * the same CloudEvent ids).
     */
    private Uni<List<Long>> publish(List<OutboxRow> batch) {
        List<Uni<Boolean>> acks = new ArrayList<>(batch.size());
        for (OutboxRow row : batch) {
            acks.add(send(row));
        }
        return Uni.join().all(acks).andFailFast()
                .ifNoItem().after(publishTimeout).fail()
                .map(results -> {
                    List<Long> sent = new ArrayList<>();
                    for (int i = 0; i < batch.size() && results.get(i); i++) {
                        sent.add(batch.get(i).id());
                    }
                    published.increment(sent.size());
                    if (sent.size() < batch.size()) {
                        LOG.warnf("outbox: row %d was not acknowledged; it and the %d rows after it go out again",
                                batch.get(sent.size()).id(), batch.size() - sent.size() - 1);
                    }
                    return sent;
                });
    }

    /**
     * Publishes the stored CloudEvent exactly as written: decoding it and encoding it again with a
     * codec whose clock stands at the event's own time reproduces the same id, time and data, while
     * {@link KafkaEventMessages} still shapes the record (key, headers) like every other service's.
     */
    private Uni<Boolean> send(OutboxRow row) {
        DecodedEvent stored = EventCodec.decode(row.payload());
        EventCodec codec = new EventCodec(stored.envelope().source(),
                Clock.fixed(stored.envelope().time().toInstant(), ZoneOffset.UTC));
        return emitter.sendMessage(KafkaEventMessages.of(codec, stored.data()))
                .onItemOrFailure().transform((ok, failure) -> {
                    if (failure != null) {
                        LOG.debugf("outbox row %d (%s) not acknowledged: %s", row.id(), row.eventId(), failure);
                    }
                    return failure == null;
                });
    }
}
