package ai.vidgen.faladapter.tracking;

import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.faladapter.client.FalClient;
import ai.vidgen.faladapter.client.SubmitOutcome;
import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.domain.FalEndpointId;
import ai.vidgen.faladapter.domain.FalError;
import ai.vidgen.faladapter.domain.FalPriority;
import ai.vidgen.faladapter.domain.FalRequestState;
import ai.vidgen.faladapter.domain.PollBackoff;
import ai.vidgen.faladapter.domain.TrackedRequest;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import ai.vidgen.faladapter.webhook.WebhookUrls;
import ai.vidgen.platform.messaging.EventPublisher;
import ai.vidgen.platform.shutdown.WorkInFlight;
import ai.vidgen.platform.tracing.TraceParent;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * Turns one GenerationDispatched into at most one fal submission.
 *
 * <ol>
 * <li>The intent row (SUBMITTING) is inserted and committed before fal is called. If the row
 * exists already, this is a redelivery: nothing is submitted (see {@link #resume}).</li>
 * <li>fal accepts: request id and URLs are stored (IN_QUEUE), then GenerationSubmitted is
 * published and acknowledged by the broker, then the row notes that.</li>
 * <li>fal rejects with an HTTP error, or cannot be reached at all: no fal request exists, the
 * attempt is FAILED and GenerationFailed is published (retryable for 429/5xx/connection).</li>
 * <li>No answer (a timeout after the request may have left): NEEDS_ATTENTION, never resubmitted.</li>
 * </ol>
 * The returned {@link Uni} completes once everything that must be durable is; only then does the
 * consumer acknowledge the dispatch.
 */
@ApplicationScoped
public class Submitter {

    private static final Logger LOG = Logger.getLogger(Submitter.class);
    private static final Duration DB_RETRY_MIN = Duration.ofMillis(200);
    private static final Duration DB_RETRY_MAX = Duration.ofSeconds(10);

    private final FalClient fal;
    private final FalRequestRepository repository;
    private final EventPublisher publisher;
    private final AdapterMetrics metrics;
    private final VertxContexts contexts;
    private final FalConfig config;
    private final PollBackoff backoff;
    private final Clock clock = Clock.systemUTC();
    private final WebhookUrls webhooks;
    private final WorkInFlight inFlight;

    public Submitter(FalClient fal, FalRequestRepository repository, EventPublisher publisher, AdapterMetrics metrics,
            VertxContexts contexts, FalConfig config, WebhookUrls webhooks, WorkInFlight inFlight) {
        this.fal = fal;
        this.inFlight = inFlight;
        this.webhooks = webhooks;
        this.repository = repository;
        this.publisher = publisher;
        this.metrics = metrics;
        this.contexts = contexts;
        this.config = config;
        this.backoff = config.poll().backoff();
    }

    /**
     * Handles one dispatch; must be subscribed on a Vert.x context, inside the span that consumes
     * the dispatch (its trace is recorded on the intent row). Idempotent.
     */
    public Uni<Void> handle(GenerationDispatched dispatched) {
        Executor context = contexts.current();
        String invalid = invalid(dispatched);
        if (invalid != null) {
            LOG.warnf("generation %s attempt %d: unusable dispatch (%s); failing it without calling fal",
                    dispatched.generationId(), dispatched.attempt(), invalid);
            metrics.outcome("failed", "invalid_dispatch");
            return publisher.publish(new GenerationFailed(dispatched.generationId(), dispatched.tenantId(),
                    dispatched.attempt(), "invalid_dispatch", invalid, false));
        }
        String priority = FalPriority.normalise(dispatched.falPriority(), config.defaultPriority());
        return repository.tombstoned(dispatched.generationId()).chain(tombstoned -> tombstoned
                ? repository.find(dispatched.generationId(), dispatched.attempt())
                        .chain(row -> row == null ? cancelledBeforeDispatch(dispatched) : resume(row, context))
                : submitOnce(dispatched, priority, TraceParent.current(), context));
    }

    /**
     * The generation's cancel request came before this Dispatched (the dispatcher's outbox may
     * publish it late): fal never hears of it, and the generation is cancelled before it started.
     * No row is written, so a redelivery publishes the same (deterministic) event again.
     */
    private Uni<Void> cancelledBeforeDispatch(GenerationDispatched dispatched) {
        LOG.infof("generation %s attempt %d: cancelled before its dispatch arrived; not submitted",
                dispatched.generationId(), dispatched.attempt());
        metrics.outcome("cancelled", "before_dispatch");
        return publisher.publish(new GenerationCancelled(dispatched.generationId(), dispatched.tenantId(), "cancelled",
                true));
    }

    private Uni<Void> submitOnce(GenerationDispatched dispatched, String priority, Optional<TraceParent> trace,
            Executor context) {
        return repository.insertIntent(dispatched, priority, trace.map(TraceParent::traceparent).orElse(null),
                        clock.instant())
                .chain(id -> id != null
                        ? submit(dispatched, id, priority, trace, context)
                        : repository.find(dispatched.generationId(), dispatched.attempt())
                                .chain(row -> resume(row, context)));
    }

    private Uni<Void> submit(GenerationDispatched dispatched, long id, String priority, Optional<TraceParent> trace,
            Executor context) {
        LOG.debugf("generation %s attempt %d: submitting to %s", dispatched.generationId(), dispatched.attempt(),
                dispatched.spec().endpointId());
        return fal.submit(dispatched.spec().endpointId(), priority, dispatched.input(),
                        webhooks.urlFor(dispatched.generationId(), dispatched.attempt()).orElse(null))
                .emitOn(context)
                .chain(outcome -> {
                    if (outcome instanceof SubmitOutcome.Accepted accepted) {
                        return accepted(dispatched, id, accepted, trace, context);
                    }
                    if (outcome instanceof SubmitOutcome.Rejected rejected) {
                        return submitFailed(dispatched, id, rejected.error(), trace, context);
                    }
                    if (outcome instanceof SubmitOutcome.NotSent notSent) {
                        return submitFailed(dispatched, id, new FalError("connection_error",
                                "fal could not be reached: " + notSent.reason(), true, 0), trace, context);
                    }
                    SubmitOutcome.NoAnswer noAnswer = (SubmitOutcome.NoAnswer) outcome;
                    return lostReply(dispatched.generationId(), dispatched.attempt(), id,
                            "submit_no_answer", "the submit got no answer, fal may hold the request: "
                                    + noAnswer.reason(), context);
                });
    }

    private Uni<Void> accepted(GenerationDispatched dispatched, long id, SubmitOutcome.Accepted accepted,
            Optional<TraceParent> trace, Executor context) {
        Instant now = clock.instant();
        Instant firstPoll = now.plus(backoff.next(0, ThreadLocalRandom.current()::nextDouble));
        // Only this call knows the request id: keep trying to store it rather than lose it.
        return onContext(context, () -> repository.recordAccepted(id, accepted, now, firstPoll))
                .onFailure().invoke(f -> LOG.errorf("generation %s attempt %d: fal request %s not stored yet: %s",
                        dispatched.generationId(), dispatched.attempt(), accepted.requestId(), f.getMessage()))
                .onFailure().retry().withBackOff(DB_RETRY_MIN, DB_RETRY_MAX).withJitter(0.2).indefinitely()
                .chain(stored -> {
                    if (!stored) {
                        LOG.errorf("generation %s attempt %d: fal request %s answered but the row no longer "
                                + "waits for it", dispatched.generationId(), dispatched.attempt(),
                                accepted.requestId());
                    }
                    LOG.infof("generation %s attempt %d: submitted as fal request %s", dispatched.generationId(),
                            dispatched.attempt(), accepted.requestId());
                    return publishSubmitted(id, dispatched.generationId(), dispatched.tenantId(), dispatched.attempt(),
                            accepted.requestId(), trace, context);
                });
    }

    private Uni<Void> submitFailed(GenerationDispatched dispatched, long id, FalError error,
            Optional<TraceParent> trace, Executor context) {
        LOG.infof("generation %s attempt %d: fal did not take the submit (%s, HTTP %d, retryable=%s): %s",
                dispatched.generationId(), dispatched.attempt(), error.errorType(), error.httpStatus(),
                error.retryable(), error.message());
        return onContext(context, () -> repository.recordSubmitFailure(id, error, clock.instant()))
                .onFailure().retry().withBackOff(DB_RETRY_MIN, DB_RETRY_MAX).withJitter(0.2).indefinitely()
                .chain(() -> publishFailed(id, dispatched.generationId(), dispatched.tenantId(), dispatched.attempt(),
                        error, trace, context))
                .invoke(() -> metrics.outcome("failed", error.errorType()));
    }

    /**
     * A redelivered dispatch: the attempt has a row, so fal is never called again. Only what is
     * not yet durable is finished.
     */
    Uni<Void> resume(TrackedRequest row, Executor context) {
        metrics.redelivered();
        if (row == null) {
            return Uni.createFrom().failure(new IllegalStateException("intent row vanished"));
        }
        if (row.state() == FalRequestState.ABANDONED) {
            LOG.debugf("generation %s attempt %d: redelivered dispatch of an abandoned attempt ignored",
                    row.generationId(), row.attempt());
            return Uni.createFrom().voidItem();
        }
        if (row.falRequestId() != null && !row.submittedPublished()) {
            LOG.infof("generation %s attempt %d: redelivered; publishing the missing GenerationSubmitted",
                    row.generationId(), row.attempt());
            return publishSubmitted(row.id(), row.generationId(), row.tenantId(), row.attempt(), row.falRequestId(),
                    TraceParent.of(row.traceparent()), context);
        }
        if (row.state() == FalRequestState.SUBMITTING && row.falRequestId() == null) {
            return lostReply(row.generationId(), row.attempt(), row.id(), "submit_reply_lost",
                    "redelivered while SUBMITTING: the submit's answer was lost; not resubmitted", context);
        }
        if (row.state() == FalRequestState.FAILED && !row.terminalPublished()) {
            LOG.infof("generation %s attempt %d: redelivered; publishing the missing GenerationFailed",
                    row.generationId(), row.attempt());
            FalError error = new FalError(row.errorType(), row.lastError(), Boolean.TRUE.equals(row.retryable()), 0);
            return publishFailed(row.id(), row.generationId(), row.tenantId(), row.attempt(), error,
                    TraceParent.of(row.traceparent()), context);
        }
        LOG.debugf("generation %s attempt %d: redelivered dispatch ignored (state %s)", row.generationId(),
                row.attempt(), row.state());
        return Uni.createFrom().voidItem();
    }

    /**
     * A row a webhook recovered (its submit reply was lost): publish the GenerationSubmitted the
     * submit could not, so tracking starts, in the generation's trace (the webhook's own request is
     * fal's, not part of it). Must be subscribed on a Vert.x context.
     */
    public Uni<Void> recovered(TrackedRequest row) {
        LOG.infof("generation %s attempt %d: recovered fal request %s from its webhook", row.generationId(),
                row.attempt(), row.falRequestId());
        metrics.outcome("recovered", "webhook");
        return publishSubmitted(row.id(), row.generationId(), row.tenantId(), row.attempt(), row.falRequestId(),
                TraceParent.of(row.traceparent()), contexts.current());
    }

    private Uni<Void> lostReply(String generationId, int attempt, long id, String errorType, String reason,
            Executor context) {
        return onContext(context, () -> repository.markNeedsAttention(id, FalRequestState.SUBMITTING, errorType,
                reason, clock.instant()))
                .invoke(changed -> {
                    if (changed) {
                        LOG.errorf("generation %s attempt %d NEEDS ATTENTION (%s): %s", generationId, attempt,
                                errorType, reason);
                        metrics.outcome("needs_attention", errorType);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Void> publishSubmitted(long id, String generationId, String tenantId, int attempt, String requestId,
            Optional<TraceParent> trace, Executor context) {
        return publisher.publish(new GenerationSubmitted(generationId, tenantId, attempt, requestId), trace)
                .emitOn(context)
                .chain(() -> onContext(context, () -> repository.markSubmittedPublished(id, clock.instant()))
                        .onFailure().retry().withBackOff(DB_RETRY_MIN, DB_RETRY_MAX).atMost(20));
    }

    private Uni<Void> publishFailed(long id, String generationId, String tenantId, int attempt, FalError error,
            Optional<TraceParent> trace, Executor context) {
        return publisher.publish(new GenerationFailed(generationId, tenantId, attempt, error.errorType(),
                        error.message(), error.retryable()), trace)
                .emitOn(context)
                .chain(() -> onContext(context, () -> repository.markTerminalPublished(id, clock.instant()))
                        .onFailure().retry().withBackOff(DB_RETRY_MIN, DB_RETRY_MAX).atMost(20));
    }

    /**
     * Resolves attempts whose submit reply was lost. If fal got the submit, the request's webhook
     * recovers the row when it completes (fal retries webhooks for hours); so once
     * {@code fal.submit.lost-reply-grace} has passed without one, fal is taken never to have got
     * it: the attempt fails, retryable, and the dispatcher makes a new attempt. Without webhooks
     * ({@code fal.webhook.public-url} unset) nothing could recover such a row, so this does not run
     * and the row stays for an operator.
     */
    @Scheduled(identity = "fal-lost-submits", every = "${fal.submit.lost-reply-sweep}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> resolveLostSubmits() {
        if (config.webhook().publicUrl().isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return inFlight.runUnlessStopping(this::resolveLostSubmitsNow);
    }

    private Uni<Void> resolveLostSubmitsNow() {
        Executor context = contexts.current();
        Instant now = clock.instant();
        return onContext(context, () -> repository.unconfirmedSubmits(now.minus(config.submit().lostReplyGrace()), 100))
                .onItem().transformToMulti(rows -> io.smallrye.mutiny.Multi.createFrom().iterable(rows))
                .onItem().transformToUniAndConcatenate(row -> giveUp(row, context))
                .collect().last()
                .onFailure().invoke(f -> LOG.warnf("lost submits not resolved this round: %s", f.toString()))
                .onFailure().recoverWithNull()
                .replaceWithVoid();
    }

    private Uni<Void> giveUp(TrackedRequest row, Executor context) {
        String reason = "the submit's answer was lost and no webhook came within "
                + config.submit().lostReplyGrace() + ": fal is taken never to have received it";
        Uni<Boolean> changed = row.state() == FalRequestState.FAILED ? Uni.createFrom().item(true)
                : onContext(context, () -> repository.giveUpUnconfirmedSubmit(row.id(), reason, clock.instant()));
        return changed.chain(ok -> {
            if (!ok) {
                return Uni.createFrom().voidItem();
            }
            LOG.warnf("generation %s attempt %d: %s; failing it as retryable", row.generationId(), row.attempt(),
                    reason);
            metrics.outcome("failed", FalRequestRepository.SUBMIT_UNCONFIRMED);
            return publishFailed(row.id(), row.generationId(), row.tenantId(), row.attempt(),
                    new FalError(FalRequestRepository.SUBMIT_UNCONFIRMED, reason, true, 0),
                    TraceParent.of(row.traceparent()), context);
        });
    }

    /** Subscribes {@code work} on the captured context, on every (re)subscription. */
    private static <T> Uni<T> onContext(Executor context, Supplier<Uni<T>> work) {
        return Uni.createFrom().<T>deferred(work::get).runSubscriptionOn(context);
    }

    /** Why a dispatch cannot be submitted, or null. */
    static String invalid(GenerationDispatched dispatched) {
        if (dispatched.tenantId() == null || dispatched.tenantId().isBlank()) {
            return "no tenantId";
        }
        if (dispatched.attempt() < 1) {
            return "attempt must be at least 1";
        }
        if (dispatched.spec() == null || dispatched.spec().endpointId() == null) {
            return "no spec or endpoint id";
        }
        if (dispatched.input() == null) {
            return "no fal input";
        }
        try {
            FalEndpointId.parse(dispatched.spec().endpointId());
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return null;
    }
}
