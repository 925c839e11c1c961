package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.domain.Admission;
import ai.vidgen.dispatcher.domain.Backoff;
import ai.vidgen.dispatcher.domain.DraftRouter;
import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.domain.RetryPolicy;
import ai.vidgen.dispatcher.persistence.EndedGeneration;
import ai.vidgen.dispatcher.persistence.NewGeneration;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationRequested;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.events.envelope.EventCodec;
import ai.vidgen.platform.messaging.EventConsumers;
import ai.vidgen.platform.messaging.RejectedEventException;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.platform.tracing.TraceParent;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.eclipse.microprofile.reactive.messaging.Incoming;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

/**
 * Reads {@code generation-events}. The consumer only touches this service's database, so a
 * record is never held for long:
 * <ul>
 *   <li>GenerationRequested stores the generation as RESERVING (once: the primary key absorbs a
 *       redelivery), routed to a cheaper endpoint first when it is a draft, and kicks the
 *       reservation worker;</li>
 *   <li>GenerationCancelRequested of a generation not yet dispatched ends it and writes
 *       GenerationCancelled(cancelled, beforeStart) to the outbox in the same transaction; once
 *       dispatched, the request is the fal-adapter's to answer and is ignored here;</li>
 *   <li>GenerationFailed of the dispatched attempt: a retryable one goes back to the queue for
 *       attempt + 1 after a backoff (the reservation is kept), or, with no attempt left,
 *       ends with GenerationAbandoned; a non-retryable one is final;</li>
 *   <li>GenerationCompleted of the dispatched attempt, GenerationCancelled, GenerationAbandoned and
 *       a GenerationRejected from downstream end the generation (DONE), which frees its slot, and
 *       kick a dispatch pass;</li>
 *   <li>everything else is acknowledged and ignored (including the rejections this service
 *       publishes itself: their rows are already REJECTED).</li>
 * </ul>
 * The platform's consumer template ({@link EventConsumers}) decodes, dead-letters a record that is
 * not a platform CloudEvent (and a GenerationRequested that breaks the contract, rejected here),
 * and retries a database failure with backoff for as long as it lasts, never dead-lettering it.
 *
 * <p>A stored generation keeps the trace it arrived in, so everything this service announces for
 * it later, from any replica, continues that trace; the events answered here (cancelled,
 * abandoned) continue it too, not the trace of the request that asked for them.
 */
@ApplicationScoped
public class GenerationEventsConsumer {

    private static final Logger LOG = Logger.getLogger(GenerationEventsConsumer.class);

    private enum FailureResult { RETRY, ABANDONED, FAILED, NOTHING }

    private final EventConsumers consumers;
    private final QueueRepository queue;
    private final Outbox outbox;
    private final Pool pool;
    private final ReservationWorker reservations;
    private final DispatchWorker dispatch;
    private final DispatcherMetrics metrics;
    private final RetryPolicy retry;
    private final boolean draftRouting;

    public GenerationEventsConsumer(EventConsumers consumers, QueueRepository queue, Outbox outbox, Pool pool,
            ReservationWorker reservations, DispatchWorker dispatch, DispatcherMetrics metrics,
            DispatcherConfig config) {
        this.consumers = consumers;
        this.queue = queue;
        this.outbox = outbox;
        this.pool = pool;
        this.reservations = reservations;
        this.dispatch = dispatch;
        this.metrics = metrics;
        this.retry = new RetryPolicy(config.retry().maxAttempts(),
                new Backoff(config.retry().initialBackoff(), config.retry().maxBackoff()));
        this.draftRouting = config.draftRouting();
    }

    @Incoming("generation-events")
    public Uni<Void> consume(Message<String> message) {
        return consumers.consume("admission", message, this::handle);
    }

    Uni<Void> handle(DecodedEvent decoded) {
        GenerationEvent event = decoded.data();
        if (event instanceof GenerationRequested requested) {
            return onRequested(requested, decoded);
        }
        if (event instanceof GenerationCancelRequested cancel) {
            return onCancelRequested(cancel);
        }
        if (event instanceof GenerationCompleted completed) {
            return onAttemptEnded(completed.generationId(), completed.attempt(), "completed");
        }
        if (event instanceof GenerationFailed failed) {
            return onFailed(failed);
        }
        if (event instanceof GenerationCancelled cancelled) {
            return onGenerationEnded(cancelled.generationId(), "cancelled");
        }
        if (event instanceof GenerationAbandoned abandoned) {
            return onGenerationEnded(abandoned.generationId(), "abandoned");
        }
        if (event instanceof GenerationRejected rejected) {
            return onGenerationEnded(rejected.generationId(), "rejected");
        }
        return Uni.createFrom().voidItem();
    }

    private Uni<Void> onRequested(GenerationRequested r, DecodedEvent decoded) {
        Optional<String> defect = Admission.defect(r);
        if (defect.isPresent()) {
            return Uni.createFrom().failure(new RejectedEventException(
                    "GenerationRequested " + r.generationId() + " cannot be queued: " + defect.get()));
        }
        GenerationSpec spec = r.spec();
        JsonNode input = r.input();
        String requestedEndpoint = null;
        if (r.draft() && draftRouting) {
            Optional<DraftRouter.Route> route = DraftRouter.route(r.spec(), r.input());
            if (route.isPresent()) {
                spec = route.get().spec();
                input = route.get().input();
                requestedEndpoint = r.spec().endpointId();
                LOG.infof("draft %s routed from %s to %s", r.generationId(), requestedEndpoint, spec.endpointId());
            }
        }
        boolean routed = requestedEndpoint != null;
        // The span the template runs this in (a child of the request's trace), else the event's own.
        String traceparent = TraceParent.current().or(() -> TraceParent.of(decoded.envelope()))
                .map(TraceParent::traceparent).orElse(null);
        NewGeneration generation = new NewGeneration(r.generationId(), r.tenantId(), spec, json(r.generationId(), input),
                Priority.parse(r.priority()), r.deadline(), r.acceptedAt(), r.draft(), requestedEndpoint, traceparent);
        String routedTo = spec.endpointId();
        return queue.insertIfAbsent(generation)
                .invoke(inserted -> {
                    if (inserted) {
                        LOG.debugf("stored %s of tenant %s", r.generationId(), r.tenantId());
                        if (routed) {
                            metrics.draftRouted(routedTo);
                        }
                    }
                    reservations.kick();
                })
                .replaceWithVoid();
    }

    private Uni<Void> onCancelRequested(GenerationCancelRequested c) {
        return pool.withTransaction(tx -> queue.cancelBeforeDispatch(tx, c.generationId())
                        .call(ended -> ended.isPresent()
                                ? announce(tx, ended.get(), new GenerationCancelled(c.generationId(),
                                        ended.get().tenantId(), "cancelled", true))
                                : Uni.createFrom().voidItem()))
                .invoke(ended -> {
                    if (ended.isPresent()) {
                        LOG.infof("%s cancelled before dispatch at the owner's request", c.generationId());
                        metrics.cancelled("cancelled");
                        outbox.nudge();
                    } else {
                        LOG.debugf("cancel request for %s left to the fal-adapter (dispatched, ended or unknown)",
                                c.generationId());
                    }
                })
                .replaceWithVoid();
    }

    /**
     * A failed attempt. Retryable and attempts left: back to QUEUED with a backoff (refused by the
     * repository when the deadline would pass first: then abandoned). Retryable without attempts
     * left: abandoned, with GenerationAbandoned in the same transaction. Not retryable: final.
     */
    private Uni<Void> onFailed(GenerationFailed f) {
        Duration delay = retry.delayAfter(f.attempt(), () -> ThreadLocalRandom.current().nextDouble());
        return pool.withTransaction(tx -> {
            if (!f.retryable()) {
                return queue.endAttempt(tx, f.generationId(), f.attempt(), "failed", f.errorType(), f.message())
                        .map(t -> t.isPresent() ? FailureResult.FAILED : FailureResult.NOTHING);
            }
            Uni<Boolean> requeued = retry.mayRetry(f.attempt())
                    ? queue.requeueForRetry(tx, f.generationId(), f.attempt(), delay, f.errorType(), f.message())
                    : Uni.createFrom().item(false);
            return requeued.chain(again -> again
                    ? Uni.createFrom().item(FailureResult.RETRY)
                    : queue.endAttempt(tx, f.generationId(), f.attempt(), "abandoned", f.errorType(), f.message())
                            .call(ended -> ended.isPresent()
                                    ? announce(tx, ended.get(), new GenerationAbandoned(f.generationId(),
                                            ended.get().tenantId(), f.attempt(), f.errorType(), f.message()))
                                    : Uni.createFrom().voidItem())
                            .map(ended -> ended.isPresent() ? FailureResult.ABANDONED : FailureResult.NOTHING));
        })
                .invoke(result -> {
                    switch (result) {
                        case RETRY -> {
                            LOG.infof("attempt %d of %s failed (%s), attempt %d in %d ms", f.attempt(), f.generationId(),
                                    f.errorType(), f.attempt() + 1, delay.toMillis());
                            metrics.retried();
                            // A pass when the backoff ends; the periodic pass covers a restart meanwhile.
                            Uni.createFrom().voidItem().onItem().delayIt().by(delay)
                                    .subscribe().with(ignored -> dispatch.kick());
                        }
                        case ABANDONED -> {
                            LOG.infof("%s abandoned after attempt %d: %s", f.generationId(), f.attempt(), f.errorType());
                            metrics.abandoned();
                            outbox.nudge();
                        }
                        case FAILED -> LOG.infof("%s ended: failed (%s)", f.generationId(), f.errorType());
                        case NOTHING -> {
                            return;
                        }
                    }
                    dispatch.kick();
                })
                .replaceWithVoid();
    }

    private Uni<Void> onAttemptEnded(String generationId, int attempt, String outcome) {
        return queue.finishAttempt(generationId, attempt, outcome)
                .invoke(freed -> freed(generationId, freed, outcome))
                .replaceWithVoid();
    }

    private Uni<Void> onGenerationEnded(String generationId, String outcome) {
        return queue.finishGeneration(generationId, outcome)
                .invoke(ended -> freed(generationId, ended, outcome))
                .replaceWithVoid();
    }

    private void freed(String generationId, boolean changed, String outcome) {
        if (changed) {
            LOG.infof("%s ended: %s", generationId, outcome);
            dispatch.kick();
        }
    }

    /** In the generation's stored trace: the request that led here may belong to another one. */
    private Uni<Void> announce(SqlConnection tx, EndedGeneration ended, GenerationEvent event) {
        return outbox.append(tx, List.of(event), TraceParent.of(ended.traceparent()));
    }

    private static String json(String generationId, JsonNode input) {
        try {
            return EventCodec.mapper().writeValueAsString(input);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write the input of " + generationId, e);
        }
    }
}
