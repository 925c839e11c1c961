package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.persistence.RefusedEvent;
import ai.vidgen.dispatcher.persistence.UnpublishedGeneration;
import ai.vidgen.events.EventType;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.platform.outbox.OutboxEventRefused;
import ai.vidgen.platform.tracing.TraceParent;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * When the broker refuses one of this service's events for good (too large, invalid), the
 * platform's relay sets it aside and fires {@link OutboxEventRefused}. Left alone, the generation
 * would hang: a refused GenerationDispatched holds a slot (until {@code dispatcher.reclaim-after})
 * and its reservation while fal never hears of it; a refused GenerationCancelled, Abandoned or
 * Rejected leaves billing holding the reservation and the owner waiting.
 *
 * <p>So the generation ends here, in one transaction: its queue row becomes DONE (outcome
 * {@code failed}, {@code last_error_type = publish_rejected}; a row already ended keeps its
 * outcome) and a small final {@code GenerationFailed(errorType = publish_rejected, retryable =
 * false)} goes to the outbox in its place. Billing releases the reservation on it, as on any final
 * failure, and the read model shows the generation failed. A refused GenerationReserved needs
 * nothing (the generation goes on, billing holds its reservation already), and a refused
 * GenerationFailed of this service is not answered with another one.
 *
 * <p>A refusal is handled as it is reported; one whose report was lost (a restart, a database
 * hiccup) is found by a sweep of the set-aside rows every {@link #SWEEP_EVERY}.
 */
@ApplicationScoped
public class RefusedEvents {

    /** How often the set-aside rows are swept, in seconds. */
    public static final int SWEEP_SECONDS = 30;
    static final String SWEEP_EVERY = SWEEP_SECONDS + "s";
    private static final Logger LOG = Logger.getLogger(RefusedEvents.class);
    /** The refused events that would leave a generation hanging. */
    static final List<String> ENDING = List.of(EventType.DISPATCHED.type(), EventType.CANCELLED.type(),
            EventType.ABANDONED.type(), EventType.REJECTED.type());
    private static final int SWEEP_BATCH = 100;

    private final Pool pool;
    private final QueueRepository queue;
    private final Outbox outbox;
    private final DispatchWorker dispatch;
    private final MeterRegistry registry;

    public RefusedEvents(Pool pool, QueueRepository queue, Outbox outbox, DispatchWorker dispatch,
            MeterRegistry registry) {
        this.pool = pool;
        this.queue = queue;
        this.outbox = outbox;
        this.dispatch = dispatch;
        this.registry = registry;
    }

    /** Called by the relay once the row is set aside; must not block (it runs on the relay's context). */
    void onRefused(@Observes OutboxEventRefused refused) {
        if (!ENDING.contains(refused.eventType())) {
            LOG.warnf("refused event %s of %s (%s) leaves nothing hanging; not answered", refused.eventId(),
                    refused.generationId(), refused.eventType());
            return;
        }
        fail(new RefusedEvent(refused.generationId(), refused.eventId(), refused.eventType(), refused.reason()))
                // A brief database hiccup is retried here; a longer one is the sweep's.
                .onFailure().retry().withBackOff(Duration.ofMillis(200), Duration.ofSeconds(2)).atMost(5)
                .subscribe().with(ignored -> {
                }, failure -> LOG.warnf("refused event %s of %s not handled yet, the sweep will: %s",
                        refused.eventId(), refused.generationId(), failure.toString()));
    }

    @Scheduled(every = SWEEP_EVERY, delayed = "5s", concurrentExecution = Scheduled.ConcurrentExecution.SKIP,
            skipExecutionIf = Scheduled.ApplicationNotRunning.class)
    Uni<Void> sweep() {
        return queue.refusedNotYetFailed(ENDING, SWEEP_BATCH)
                .onItem().transformToMulti(refused -> Multi.createFrom().iterable(refused))
                .onItem().transformToUniAndConcatenate(this::fail)
                .collect().last()
                .onFailure().invoke(f -> LOG.warnf("sweep of refused events failed, next one retries: %s", f.toString()))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    private Uni<Optional<UnpublishedGeneration>> fail(RefusedEvent refused) {
        String message = message(refused);
        return pool.withTransaction(tx -> queue.failUnpublished(tx, refused.generationId(), message)
                        .call(ended -> ended.isPresent()
                                ? outbox.append(tx, List.of(new GenerationFailed(refused.generationId(),
                                        ended.get().tenantId(), ended.get().attempt(), QueueRepository.PUBLISH_REJECTED,
                                        message, false)), TraceParent.of(ended.get().traceparent()))
                                : Uni.createFrom().voidItem()))
                .invoke(ended -> ended.ifPresent(g -> {
                    LOG.errorf("generation %s failed: the broker refused its event %s for good (%s)",
                            refused.generationId(), refused.eventId(), refused.reason());
                    registry.counter("dispatcher.publish.rejected", "type", refused.eventType()).increment();
                    outbox.nudge();
                    if (g.freedSlot()) {
                        dispatch.kick();
                    }
                }));
    }

    /** For the owner and billing: what happened, with the broker's reason cut short. */
    static String message(RefusedEvent refused) {
        String reason = refused.reason() == null ? "no reason given" : refused.reason();
        if (reason.length() > 300) {
            reason = reason.substring(0, 300) + "…";
        }
        return "the event broker refused the dispatcher's " + refused.eventType() + " event for good (" + reason
                + "); the generation ends here and its reservation is released";
    }
}
