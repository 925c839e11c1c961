package ai.vidgen.faladapter.tracking;

import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.faladapter.client.CancelOutcome;
import ai.vidgen.faladapter.client.FalClient;
import ai.vidgen.faladapter.client.ResultOutcome;
import ai.vidgen.faladapter.client.StatusOutcome;
import ai.vidgen.faladapter.config.FalConfig;
import ai.vidgen.faladapter.domain.FalError;
import ai.vidgen.faladapter.domain.FalErrorClassifier;
import ai.vidgen.faladapter.domain.FalRequestState;
import ai.vidgen.faladapter.domain.PollBackoff;
import ai.vidgen.faladapter.domain.TrackedRequest;
import ai.vidgen.faladapter.persistence.FalRequest;
import ai.vidgen.faladapter.persistence.RowChange;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import ai.vidgen.platform.messaging.EventPublisher;
import ai.vidgen.platform.shutdown.WorkInFlight;
import ai.vidgen.platform.tracing.GenerationSpans;
import ai.vidgen.platform.tracing.TraceParent;
import io.opentelemetry.api.trace.SpanKind;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.jboss.logging.Logger;

/**
 * The polling safety net (webhooks come first once they exist): one scheduled job that tracks
 * every submitted attempt until it is terminal, from the database alone, so a restarted adapter
 * resumes every open request.
 *
 * <p>Each tick: claim the due rows (a lease, in one transaction) → ask fal for their status,
 * fetch results, publish events, with bounded concurrency and no database work → apply the
 * resulting row changes in one transaction. A terminal state is written only after its event
 * was acknowledged by the broker; a failure anywhere leaves the row due again later.
 *
 * <p>Each row's calls to fal run in a span of its generation's trace (kept on the row since the
 * submit), so fal receives that trace's {@code traceparent}, and the events published for the row
 * continue the same trace.
 */
@ApplicationScoped
public class Poller {

    private static final Logger LOG = Logger.getLogger(Poller.class);
    private static final String DEFAULT_CONTENT_TYPE = "video/mp4";
    private static final String CLIENT_CANCELLED = "client_cancelled";
    private static final String SPAN = "fal-adapter poll";
    /** fal no longer knows the request: its status answers 404. */
    static final String FAL_LOST = "fal_lost";
    /** fal completed the request but its result could not be fetched. */
    static final String RESULT_UNAVAILABLE = "result_unavailable";

    private final FalClient fal;
    private final FalRequestRepository repository;
    private final EventPublisher publisher;
    private final AdapterMetrics metrics;
    private final VertxContexts contexts;
    private final GenerationSpans spans;
    private final FalConfig config;
    private final PollBackoff backoff;
    private final Clock clock = Clock.systemUTC();
    private final WorkInFlight inFlight;

    public Poller(FalClient fal, FalRequestRepository repository, EventPublisher publisher, AdapterMetrics metrics,
            VertxContexts contexts, GenerationSpans spans, FalConfig config, WorkInFlight inFlight) {
        this.fal = fal;
        this.inFlight = inFlight;
        this.repository = repository;
        this.publisher = publisher;
        this.metrics = metrics;
        this.contexts = contexts;
        this.spans = spans;
        this.config = config;
        this.backoff = config.poll().backoff();
    }

    @Scheduled(identity = "fal-poller", every = "${fal.poll.tick}", delayed = "${fal.poll.tick}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> tick() {
        // A round in flight at shutdown finishes (its events published and its rows written), so a
        // restart does not publish an outcome twice; no round starts once the shutdown has begun.
        return inFlight.runUnlessStopping(() -> drain(Math.max(1, config.poll().maxRoundsPerTick())));
    }

    /** Polls another batch right away while batches come back full, up to {@code rounds} batches. */
    private Uni<Void> drain(int rounds) {
        if (inFlight.isStopping()) {
            return Uni.createFrom().voidItem();
        }
        return pollOnce().chain(handled -> handled >= config.poll().batchSize() && rounds > 1
                ? drain(rounds - 1)
                : Uni.createFrom().voidItem());
    }

    /** One polling round; returns how many rows it handled. Runs on the caller's Vert.x context. */
    public Uni<Integer> pollOnce() {
        Executor context = contexts.current();
        Instant now = clock.instant();
        long started = System.nanoTime();
        return Uni.createFrom().deferred(() -> repository.claimDue(config.poll().batchSize(), now,
                        now.plus(config.poll().lease())))
                .runSubscriptionOn(context)
                .chain(rows -> rows.isEmpty() ? Uni.createFrom().item(List.<RowChange>of())
                        : Multi.createFrom().iterable(rows)
                                .onItem().transformToUni(row -> spans.within(SPAN, SpanKind.INTERNAL, trace(row),
                                                row.generationId(), () -> track(row))
                                        .onFailure().recoverWithItem(f -> retryLater(row, f)))
                                .merge(Math.max(1, config.poll().concurrency()))
                                .collect().asList())
                .emitOn(context)
                .chain(changes -> repository.apply(changes, clock.instant()))
                .invoke(applied -> applied.stream().filter(c -> c.outcome() != null)
                        .forEach(c -> metrics.outcome(c.outcome(), c.errorType())))
                .map(List::size)
                .invoke(rows -> {
                    if (rows > 0) {
                        metrics.pollRound(System.nanoTime() - started, rows);
                    }
                })
                .onFailure().invoke(f -> {
                    if (inFlight.isStopping()) {
                        LOG.debugf("polling round interrupted by shutdown: %s", f);
                    } else {
                        LOG.warnf("polling round failed, rows stay due after their lease: %s", f.toString());
                    }
                })
                .onFailure().recoverWithItem(0);
    }

    /**
     * Runs in the row's own span, on a Vert.x context of its own; {@code context} is that one, to
     * come back to after a pause or a timeout, so that every call to fal carries the span.
     */
    private Uni<RowChange> track(TrackedRequest row) {
        Executor context = contexts.current();
        return fal.status(row.endpointId(), row.falRequestId(), row.statusUrl()).emitOn(context).chain(status -> {
            if (row.cancelRequested() && !row.cancelSent()
                    && (status instanceof StatusOutcome.Queued || status instanceof StatusOutcome.Running)) {
                return cancel(row, status instanceof StatusOutcome.Queued, context);
            }
            return tracked(row, status, context);
        });
    }

    private Uni<RowChange> tracked(TrackedRequest row, StatusOutcome status, Executor context) {
        if (status instanceof StatusOutcome.Queued queued) {
            return progressed(row, FalRequestState.IN_QUEUE, queued.queuePosition(), queued.logs());
        }
        if (status instanceof StatusOutcome.Running running) {
            return progressed(row, FalRequestState.IN_PROGRESS, null, running.logs());
        }
        if (status instanceof StatusOutcome.Completed completed) {
            return completed(row, completed, context);
        }
        return statusUnavailable(row, (StatusOutcome.Unavailable) status);
    }

    /**
     * Carries out a cancel request: fal's cancel, then a fresh status so that a cancellation fal
     * applied at once is published in this round. {@code beforeStart}: fal had it IN_QUEUE.
     */
    private Uni<RowChange> cancel(TrackedRequest row, boolean beforeStart, Executor context) {
        return fal.cancel(row.endpointId(), row.falRequestId(), row.cancelUrl()).emitOn(context).chain(outcome -> {
            if (outcome instanceof CancelOutcome.Requested) {
                LOG.infof("generation %s attempt %d: fal accepted the cancel of request %s (%s)", row.generationId(),
                        row.attempt(), row.falRequestId(), beforeStart ? "still queued" : "running");
                TrackedRequest cancelling = row.withCancelSent(beforeStart);
                Instant sent = clock.instant();
                return fal.status(row.endpointId(), row.falRequestId(), row.statusUrl())
                        .emitOn(context)
                        .chain(status -> tracked(cancelling, status, context))
                        .map(change -> change.andThen(r -> {
                            if (r.cancelSentAt == null) {
                                r.cancelSentAt = sent;
                                r.cancelBeforeStart = beforeStart;
                            }
                        }));
            }
            if (outcome instanceof CancelOutcome.AlreadyCompleted) {
                // Too late: the request's own outcome wins; the next poll takes it.
                LOG.infof("generation %s attempt %d: fal request %s completed before the cancel", row.generationId(),
                        row.attempt(), row.falRequestId());
                Instant now = clock.instant();
                return Uni.createFrom().item(RowChange.of(row.id(), r -> {
                    r.cancelSentAt = now;
                    r.nextPollAt = now;
                }));
            }
            CancelOutcome.Unavailable unavailable = (CancelOutcome.Unavailable) outcome;
            LOG.warnf("generation %s attempt %d: cancel of fal request %s not taken, asking again: %s",
                    row.generationId(), row.attempt(), row.falRequestId(), unavailable.reason());
            Instant next = clock.instant().plus(nextInterval(row.pollCount()));
            return Uni.createFrom().item(RowChange.of(row.id(), r -> {
                r.pollCount++;
                r.lastError = unavailable.reason();
                r.nextPollAt = next;
            }));
        });
    }

    /** fal reports the request cancelled: GenerationCancelled, once the broker has it. */
    private Uni<RowChange> cancelled(TrackedRequest row, Long inferenceMillis) {
        // Without our own observation, a request that never ran has no inference time.
        boolean beforeStart = row.cancelBeforeStart() != null ? row.cancelBeforeStart() : inferenceMillis == null;
        return ifStillTracked(row, () -> publisher.publish(new GenerationCancelled(row.generationId(), row.tenantId(), "cancelled", beforeStart),
                        trace(row))
                .invoke(() -> LOG.infof("generation %s attempt %d: fal request %s cancelled (before start: %s)",
                        row.generationId(), row.attempt(), row.falRequestId(), beforeStart))
                .replaceWith(() -> finished(row, FalRequestState.CANCELLED, "cancelled", CLIENT_CANCELLED, r -> {
                    r.cancelBeforeStart = beforeStart;
                    r.errorType = CLIENT_CANCELLED;
                })));
    }

    private Uni<RowChange> progressed(TrackedRequest row, FalRequestState state, Integer queuePosition,
            List<String> logs) {
        List<String> newLines = logs.size() > row.logLinesSeen() ? logs.subList(row.logLinesSeen(), logs.size())
                : List.of();
        int linesSeen = Math.max(row.logLinesSeen(), logs.size());
        Instant next = clock.instant().plus(nextInterval(row.pollCount()));
        RowChange change = RowChange.of(row.id(), r -> {
            r.state = state;
            r.queuePosition = queuePosition;
            r.logLinesSeen = linesSeen;
            r.pollCount++;
            r.pollFailures = 0;
            r.nextPollAt = next;
        });
        boolean changed = state != row.state() || !Objects.equals(queuePosition, row.queuePosition())
                || !newLines.isEmpty();
        if (!changed) {
            return Uni.createFrom().item(change);
        }
        return publisher.publish(new GenerationProgress(row.generationId(), row.tenantId(), row.attempt(),
                state.name(), queuePosition, List.copyOf(newLines)), trace(row)).replaceWith(change);
    }

    private Uni<RowChange> completed(TrackedRequest row, StatusOutcome.Completed status, Executor context) {
        if (row.cancelRequested() && CLIENT_CANCELLED.equals(status.errorType())) {
            return cancelled(row, status.inferenceMillis());
        }
        return fetchResult(row, config.result().immediateRetries(), context).chain(result -> {
            if (result instanceof ResultOutcome.Failed failed && row.cancelRequested()
                    && CLIENT_CANCELLED.equals(failed.error().errorType())) {
                return cancelled(row, status.inferenceMillis());
            }
            if (result instanceof ResultOutcome.Failed failed && !status.failed()
                    && failed.error().httpStatus() >= 500) {
                // The status said the request succeeded: a 5xx now is trouble fetching the result,
                // not a failure of the generation. Fetch it again later.
                return resultUnavailable(row,
                        new ResultOutcome.Unavailable(failed.error().httpStatus(), failed.error().message()));
            }
            if (result instanceof ResultOutcome.Output output) {
                if (output.url() == null) {
                    return failed(row, new FalError("unexpected_output",
                            "fal completed the request but its output has no video", false, 200));
                }
                return succeeded(row, output, status.inferenceMillis());
            }
            if (result instanceof ResultOutcome.Failed failed) {
                return failed(row, failed.error());
            }
            ResultOutcome.Unavailable unavailable = (ResultOutcome.Unavailable) result;
            if (status.failed()) {
                // fal said how it failed; the detailed body is a nicety we do not wait for.
                return failed(row, FalErrorClassifier.fromStatus(status.errorType(), status.error()));
            }
            return resultUnavailable(row, unavailable);
        });
    }

    private Uni<ResultOutcome> fetchResult(TrackedRequest row, int retriesLeft, Executor context) {
        return fal.result(row.endpointId(), row.falRequestId(), row.responseUrl()).emitOn(context).chain(result -> {
            if (result instanceof ResultOutcome.Unavailable && retriesLeft > 0) {
                return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(250))
                        .emitOn(context)
                        .chain(() -> fetchResult(row, retriesLeft - 1, context));
            }
            return Uni.createFrom().item(result);
        });
    }

    private Uni<RowChange> succeeded(TrackedRequest row, ResultOutcome.Output output, Long inferenceMillis) {
        String contentType = output.contentType() == null ? DEFAULT_CONTENT_TYPE : output.contentType();
        return ifStillTracked(row, () -> publisher.publish(new GenerationCompleted(row.generationId(), row.tenantId(), row.spec(),
                        row.attempt(), row.falRequestId(), output.url(), contentType, output.fileSize(),
                        inferenceMillis), trace(row))
                .invoke(() -> LOG.infof("generation %s attempt %d: fal request %s completed", row.generationId(),
                        row.attempt(), row.falRequestId()))
                .replaceWith(() -> finished(row, FalRequestState.COMPLETED, "completed", "none", r -> {
                    r.videoUrl = output.url();
                    r.contentType = contentType;
                    r.fileSize = output.fileSize();
                    r.inferenceMillis = inferenceMillis;
                    r.lastError = null;
                    r.errorType = null;
                })));
    }

    private Uni<RowChange> failed(TrackedRequest row, FalError error) {
        return ifStillTracked(row, () -> publisher.publish(new GenerationFailed(row.generationId(), row.tenantId(), row.attempt(),
                        error.errorType(), error.message(), error.retryable()), trace(row))
                .invoke(() -> LOG.infof("generation %s attempt %d: fal request %s failed (%s, retryable=%s)",
                        row.generationId(), row.attempt(), row.falRequestId(), error.errorType(), error.retryable()))
                .replaceWith(() -> finished(row, FalRequestState.FAILED, "failed", error.errorType(), r -> {
                    r.errorType = error.errorType();
                    r.lastError = error.message();
                    r.retryable = error.retryable();
                })));
    }

    /**
     * Publishes a terminal event only while the row is still tracked: a generation ended
     * elsewhere meanwhile (GenerationAbandoned, the row ABANDONED since this round claimed it)
     * keeps the one outcome it was given. The check is one primary-key read, made only for the
     * few rows that end in a round.
     */
    private Uni<RowChange> ifStillTracked(TrackedRequest row, Supplier<Uni<RowChange>> terminal) {
        Executor context = contexts.current();
        return Uni.createFrom().deferred(() -> repository.stillTracked(row.id()))
                .runSubscriptionOn(context)
                .chain(tracked -> {
                    if (tracked) {
                        return terminal.get();
                    }
                    LOG.infof("generation %s attempt %d: ended elsewhere while fal request %s was polled; "
                            + "its outcome is not published", row.generationId(), row.attempt(), row.falRequestId());
                    return Uni.createFrom().item(RowChange.of(row.id(), r -> {
                    }));
                });
    }

    /**
     * The row once its terminal event was acknowledged by the broker: in its final state, polled
     * no more; {@code outcome} and {@code errorType} are counted once the change is committed.
     */
    private RowChange finished(TrackedRequest row, FalRequestState state, String outcome, String errorType,
            Consumer<FalRequest> details) {
        Instant now = clock.instant();
        return new RowChange(row.id(), r -> {
            r.state = state;
            r.terminalPublished = true;
            r.queuePosition = null;
            r.nextPollAt = null;
            r.pollCount++;
            r.finishedAt = now;
            details.accept(r);
        }, outcome, errorType);
    }

    private Uni<RowChange> statusUnavailable(TrackedRequest row, StatusOutcome.Unavailable status) {
        int failures = row.pollFailures() + 1;
        if (status.notFound() && failures >= config.poll().notFoundLimit()) {
            FalError lost = lost(row, failures);
            LOG.warnf("generation %s attempt %d: fal no longer knows request %s: %s", row.generationId(),
                    row.attempt(), row.falRequestId(), lost.message());
            return failed(row, lost);
        }
        if (failures == 1 || failures % 10 == 0) {
            LOG.warnf("generation %s attempt %d: status of fal request %s unavailable (%d in a row): %s",
                    row.generationId(), row.attempt(), row.falRequestId(), failures, status.reason());
        }
        Instant next = clock.instant().plus(nextInterval(row.pollCount()));
        return Uni.createFrom().item(RowChange.of(row.id(), r -> {
            r.pollFailures = failures;
            r.pollCount++;
            r.lastError = status.reason();
            r.nextPollAt = next;
        }));
    }

    /**
     * fal forgot the request (a restart, or its retention passed before we asked). It may be run
     * again only when fal provably never rendered it: its last answer to us was IN_QUEUE (fal
     * charges only for completed requests, and one that never started cannot have completed
     * unseen) and no cancel was asked for (a retry would revive a cancelled generation). Otherwise
     * it may have rendered, and paid for, so it fails for good rather than bill twice.
     */
    static FalError lost(TrackedRequest row, int notFoundPolls) {
        boolean neverStarted = row.state() == FalRequestState.IN_QUEUE && !row.cancelRequested();
        String lastSeen = row.state() == FalRequestState.IN_QUEUE ? "queued" : "running or finished";
        return new FalError(FAL_LOST, "fal no longer knows the request (404 to " + notFoundPolls
                + " status polls in a row); last seen " + lastSeen, neverStarted, 404);
    }

    private Uni<RowChange> resultUnavailable(TrackedRequest row, ResultOutcome.Unavailable result) {
        int attempts = row.resultAttempts() + 1;
        if (attempts >= config.result().maxAttempts()) {
            // fal rendered it (and charges for it) but we cannot have it: running it again would pay
            // twice for what may still fail the same way, so the generation ends and billing releases.
            String reason = "fal completed the request but its result could not be fetched after " + attempts
                    + " attempts: " + result.reason();
            LOG.errorf("generation %s attempt %d: fal request %s: %s", row.generationId(), row.attempt(),
                    row.falRequestId(), reason);
            return failed(row, new FalError(RESULT_UNAVAILABLE, reason, false, result.httpStatus()));
        }
        LOG.warnf("generation %s attempt %d: fal request %s completed but its result is not available yet "
                + "(attempt %d): %s", row.generationId(), row.attempt(), row.falRequestId(), attempts, result.reason());
        Instant next = clock.instant().plus(nextInterval(attempts));
        return Uni.createFrom().item(RowChange.of(row.id(), r -> {
            r.resultAttempts = attempts;
            r.state = FalRequestState.IN_PROGRESS;
            r.pollCount++;
            r.lastError = result.reason();
            r.nextPollAt = next;
        }));
    }

    /** A round that threw (e.g. the broker did not ack): nothing changes but the next poll time. */
    private RowChange retryLater(TrackedRequest row, Throwable failure) {
        LOG.warnf("generation %s attempt %d: polling fal request %s failed, retrying later: %s", row.generationId(),
                row.attempt(), row.falRequestId(), failure.toString());
        Instant next = clock.instant().plus(nextInterval(row.pollCount()));
        String reason = failure.toString();
        return RowChange.of(row.id(), r -> {
            r.lastError = reason.length() > 500 ? reason.substring(0, 500) : reason;
            r.nextPollAt = next;
        });
    }

    /** The generation's trace, recorded on the row at submit. */
    private static Optional<TraceParent> trace(TrackedRequest row) {
        return TraceParent.of(row.traceparent());
    }

    private Duration nextInterval(int pollsMade) {
        return backoff.next(pollsMade, ThreadLocalRandom.current()::nextDouble);
    }
}
