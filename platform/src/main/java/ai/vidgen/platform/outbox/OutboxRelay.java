package ai.vidgen.platform.outbox;

import ai.vidgen.events.envelope.KafkaEventMessages;
import ai.vidgen.platform.messaging.EventPublisher;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.arc.properties.IfBuildProperty;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.RecordTooLargeException;
import org.apache.kafka.common.InvalidRecordException;
import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.errors.RecordBatchTooLargeException;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.jboss.logging.Logger;

/**
 * Publishes the outbox to Kafka. This is what makes a committed state change a promise: its
 * events go out once the broker acknowledges them, whether Kafka was down at commit time or the
 * service restarted in between.
 *
 * <p>A pass runs every {@code vidgen.outbox.interval} and after each nudge. Passes never overlap
 * within a process (a flag) or across replicas (an advisory try-lock held by the pass's
 * transaction: a replica that finds it taken skips its turn instead of queueing behind it). A
 * pass sends a batch pipelined in order and then settles each row by its outcome:
 * <ul>
 *   <li>acknowledged: deleted;</li>
 *   <li>refused for good by the broker (too large, invalid): set aside with the reason, and
 *       {@link OutboxEventRefused} fired, so it never blocks the rows behind it;</li>
 *   <li>not acknowledged (broker away, timeout): this row and every row after it stay and go out
 *       again in order on the next pass; consumers drop the duplicates by CloudEvent id.</li>
 * </ul>
 */
@ApplicationScoped
@IfBuildProperty(name = "vidgen.outbox.enabled", stringValue = "true")
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);

    private enum Outcome { SENT, REFUSED, FAILED }

    private record Sent(Outcome outcome, String reason) {
    }

    private record Settled(List<Long> sent, Map<Long, String> refused, List<OutboxEventRefused> refusals,
            boolean complete) {
    }

    private final OutboxStore store;
    private final MutinyEmitter<String> emitter;
    private final OutboxConfig config;
    private final Event<OutboxEventRefused> refusedEvents;
    private final Counter published;
    private final Counter refusedCount;
    private final AtomicLong backlog = new AtomicLong();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean pending = new AtomicBoolean();

    public OutboxRelay(OutboxStore store, @Channel(EventPublisher.CHANNEL) MutinyEmitter<String> emitter,
            OutboxConfig config, Event<OutboxEventRefused> refusedEvents, MeterRegistry registry) {
        this.store = store;
        this.emitter = emitter;
        this.config = config;
        this.refusedEvents = refusedEvents;
        this.published = Counter.builder("vidgen.outbox.published")
                .description("Outbox events acknowledged by the broker").register(registry);
        this.refusedCount = Counter.builder("vidgen.outbox.refused")
                .description("Outbox events the broker refused for good, set aside").register(registry);
        registry.gauge("vidgen.outbox.backlog", backlog);
    }

    /** Not before the application runs: the emitter's channel is wired during startup. */
    @Scheduled(every = "${vidgen.outbox.interval:1s}", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    void scheduled() {
        nudge();
    }

    /** A growing backlog means Kafka has been unreachable: alert on it. */
    @Scheduled(every = "10s", delayed = "1s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> measureBacklog() {
        return store.backlog().invoke(backlog::set)
                .onFailure().invoke(f -> LOG.debugf("cannot measure the outbox backlog: %s", f))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Asks for a pass soon; cheap and safe to call from anywhere, as often as wanted. */
    public void nudge() {
        pending.set(true);
        if (running.compareAndSet(false, true)) {
            drain();
        }
    }

    /**
     * The last pass before the process exits (graceful shutdown): waits for a pass in progress to
     * end, then relays until the outbox is empty or {@code within} has passed. Blocking: call it from
     * the shutdown thread, never on an event loop. What is left (the broker away, the time up, or
     * another replica holding the relay lock) stays in the table for the next pass of any replica.
     */
    public void flush(Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!running.compareAndSet(false, true)) {
            if (System.nanoTime() - deadline >= 0) {
                LOG.warn("outbox: a relay pass was still running at the shutdown deadline; the rest goes out later");
                return;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
        }
        try {
            boolean more;
            do {
                pending.set(false);
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    LOG.warn("outbox: the shutdown deadline passed with events still to relay; they go out later");
                    return;
                }
                more = pass().await().atMost(Duration.ofNanos(left));
            } while (more || pending.get());
            LOG.info("outbox: flushed before shutdown");
        } catch (RuntimeException e) {
            LOG.warnf("outbox: the last pass before shutdown failed, the rows go out later: %s", e.toString());
        } finally {
            running.set(false);
        }
    }

    private void drain() {
        pending.set(false);
        pass().subscribe().with(this::afterPass, failure -> {
            // Kafka or the database is unavailable: the rows stay and the next scheduled pass
            // tries again; looping here would only spin.
            LOG.warnf("outbox relay pass failed, retrying on schedule: %s", failure.toString());
            release();
        });
    }

    private void afterPass(boolean more) {
        if (more || pending.get()) {
            drain();
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

    /** One pass; true when it settled a full batch, so more is probably waiting. */
    Uni<Boolean> pass() {
        Settled nothing = new Settled(List.of(), Map.of(), List.of(), false);
        return store.pool().withTransaction(tx -> store.tryLockRelay(tx).chain(locked -> !locked
                        ? Uni.createFrom().item(nothing)
                        : store.oldest(tx, config.batchSize()).chain(batch -> batch.isEmpty()
                                ? Uni.createFrom().item(nothing)
                                : publish(batch).call(settled -> store.delete(tx, settled.sent())
                                        .chain(() -> store.setAside(tx, settled.refused()))))))
                .map(settled -> {
                    // committed: only now do the counts and the refusals become facts
                    published.increment(settled.sent().size());
                    refusedCount.increment(settled.refused().size());
                    settled.refusals().forEach(this::announce);
                    return settled.complete()
                            && settled.sent().size() + settled.refused().size() >= config.batchSize();
                });
    }

    /**
     * Hands the whole batch to the producer in order, waits for every outcome, and settles the
     * prefix up to the first row that was not acknowledged.
     */
    private Uni<Settled> publish(List<OutboxRow> batch) {
        List<Uni<Sent>> sends = new ArrayList<>(batch.size());
        for (OutboxRow row : batch) {
            sends.add(emitter.sendMessage(KafkaEventMessages.of(row.generationId(), row.cloudEvent()))
                    .onItemOrFailure().transform((ok, failure) -> failure == null ? new Sent(Outcome.SENT, null)
                            : refusedForGood(failure) ? new Sent(Outcome.REFUSED, failure.toString())
                            : new Sent(Outcome.FAILED, failure.toString())));
        }
        return Uni.join().all(sends).andCollectFailures()
                .ifNoItem().after(config.publishTimeout()).fail()
                .map(outcomes -> {
                    List<Long> sent = new ArrayList<>();
                    Map<Long, String> refused = new LinkedHashMap<>();
                    List<OutboxEventRefused> refusals = new ArrayList<>();
                    for (int i = 0; i < batch.size(); i++) {
                        OutboxRow row = batch.get(i);
                        Sent outcome = outcomes.get(i);
                        if (outcome.outcome() == Outcome.FAILED) {
                            LOG.warnf("outbox: %s was not acknowledged (%s); it and the %d rows after it go out again",
                                    row.eventId(), outcome.reason(), batch.size() - i - 1);
                            return new Settled(sent, refused, refusals, false);
                        }
                        if (outcome.outcome() == Outcome.REFUSED) {
                            LOG.errorf("outbox: the broker refused %s for good, set aside: %s", row.eventId(),
                                    outcome.reason());
                            refused.put(row.id(), outcome.reason());
                            refusals.add(new OutboxEventRefused(row.generationId(), row.eventId(), row.eventType(),
                                    outcome.reason()));
                        } else {
                            sent.add(row.id());
                        }
                    }
                    return new Settled(sent, refused, refusals, true);
                });
    }

    /** Failures no resend can fix: the record itself is wrong for this broker or topic. */
    static boolean refusedForGood(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof RecordTooLargeException || t instanceof RecordBatchTooLargeException
                    || t instanceof InvalidRecordException || t instanceof SerializationException
                    || t instanceof InvalidTopicException) {
                return true;
            }
            if (t instanceof RetriableException) {
                return false;
            }
            if (t instanceof KafkaException && t.getCause() == null) {
                return false;
            }
        }
        return false;
    }

    private void announce(OutboxEventRefused refusal) {
        try {
            refusedEvents.fire(refusal);
        } catch (RuntimeException e) {
            LOG.errorf(e, "an observer of the refusal of %s failed", refusal.eventId());
        }
    }
}
