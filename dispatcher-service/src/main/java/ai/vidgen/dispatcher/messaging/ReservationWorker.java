package ai.vidgen.dispatcher.messaging;

import ai.vidgen.dispatcher.client.Billing;
import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.domain.Backoff;
import ai.vidgen.dispatcher.domain.ReservationOutcome;
import ai.vidgen.dispatcher.persistence.PendingReservation;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.platform.tracing.GenerationSpans;
import ai.vidgen.platform.tracing.TraceParent;
import io.opentelemetry.api.trace.SpanKind;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jboss.logging.Logger;

/**
 * Reserves the estimated cost of RESERVING generations with billing, outside the Kafka consumer:
 * a billing outage must not hold records (SmallRye's throttled commit closes a consumer whose
 * oldest record waits longer than 60 s) nor stop the terminal events that free slots.
 *
 * <ul>
 *   <li>granted: the generation becomes QUEUED, GenerationReserved (amount, price book version,
 *       the request's acceptedAt) is written to the outbox in the same transaction, and a
 *       dispatch pass runs;</li>
 *   <li>refused (402, 422): it becomes REJECTED and GenerationRejected is written to the outbox in
 *       the same transaction, so the decision and its announcement cannot part;</li>
 *   <li>billing unavailable (connection, timeout, 5xx): the attempt is counted and retried with
 *       exponential backoff; the generation is never rejected for it.</li>
 * </ul>
 * Each reservation runs in a span of the generation's own trace (stored with its row), so the call
 * to billing and the events it leads to belong to the generation's trace, not to whatever kicked
 * the pass.
 *
 * <p>Replicas claim due rows with {@code FOR UPDATE SKIP LOCKED} and a lease; billing's reservation
 * is idempotent per generation and every transition is conditional, so a lease that expires
 * mid-call costs a repeated request, never a second reservation.
 */
@ApplicationScoped
public class ReservationWorker {

    private static final Logger LOG = Logger.getLogger(ReservationWorker.class);

    private enum Result { QUEUED, REJECTED, ENDED_MEANWHILE, DEFERRED, NOTHING }

    private final QueueRepository queue;
    private final Outbox outbox;
    private final Pool pool;
    private final Billing billing;
    private final DispatchWorker dispatch;
    private final GenerationSpans spans;
    private final DispatcherMetrics metrics;
    private final DispatcherConfig.Reservation config;
    private final Backoff backoff;
    private final SerialTask task;

    public ReservationWorker(QueueRepository queue, Outbox outbox, Pool pool, Billing billing,
            DispatchWorker dispatch, GenerationSpans spans, DispatcherMetrics metrics, DispatcherConfig config) {
        this.queue = queue;
        this.outbox = outbox;
        this.pool = pool;
        this.billing = billing;
        this.dispatch = dispatch;
        this.spans = spans;
        this.metrics = metrics;
        this.config = config.reservation();
        this.backoff = new Backoff(this.config.initialBackoff(), this.config.maxBackoff());
        this.task = new SerialTask("reservation", this::pass, this.config.lease().plusSeconds(30));
    }

    /** Asks for a reservation pass soon; returns at once. */
    public void kick() {
        task.kick();
    }

    Uni<Boolean> pass() {
        return queue.claimDueReservations(config.batchSize(), config.lease())
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(false) : reserveAll(claimed));
    }

    private Uni<Boolean> reserveAll(List<PendingReservation> claimed) {
        return Multi.createFrom().iterable(claimed)
                .onItem().transformToUni(this::reserve).merge(config.concurrency())
                .collect().asList()
                .map(results -> {
                    if (results.contains(Result.QUEUED)) {
                        dispatch.kick();
                    }
                    if (results.contains(Result.QUEUED) || results.contains(Result.REJECTED)
                            || results.contains(Result.ENDED_MEANWHILE)) {
                        outbox.nudge();
                    }
                    return claimed.size() >= config.batchSize();
                });
    }

    private Uni<Result> reserve(PendingReservation p) {
        return spans.within("dispatcher-service reserve", SpanKind.INTERNAL, trace(p), p.generationId(),
                        () -> billing.reserve(p).chain(outcome -> apply(p, outcome)))
                .onFailure().recoverWithItem(failure -> {
                    // The lease runs out and the generation is claimed again.
                    LOG.warnf("reservation of %s not recorded: %s", p.generationId(), failure.toString());
                    return Result.NOTHING;
                });
    }

    private Uni<Result> apply(PendingReservation p, ReservationOutcome outcome) {
        if (outcome instanceof ReservationOutcome.Reserved reserved) {
            // The reservation and its announcement commit together: billing rebuilds its RESERVE
            // rows from GenerationReserved on a replay, so one must never exist without the other.
            GenerationReserved announcement = new GenerationReserved(p.generationId(), p.tenantId(), p.spec(),
                    p.acceptedAt(), reserved.amountMicros(), reserved.priceBookVersion());
            return pool.withTransaction(tx -> queue.markReserved(tx, p.generationId(), reserved.amountMicros(),
                                    reserved.priceBookVersion())
                            .flatMap(changed -> changed
                                    ? outbox.append(tx, List.of(announcement), trace(p)).replaceWith(Result.QUEUED)
                                    : announceIfEndedMeanwhile(tx, p, reserved, announcement)));

        }
        if (outcome instanceof ReservationOutcome.Refused refused) {
            return pool.withTransaction(tx -> queue.markRejected(tx, p.generationId(), refused.reason(), refused.detail())
                            .call(changed -> changed
                                    ? outbox.append(tx, List.of(new GenerationRejected(p.generationId(), p.tenantId(),
                                            refused.reason(), refused.detail())), trace(p))
                                    : Uni.createFrom().voidItem()))
                    .map(changed -> {
                        if (!changed) {
                            return Result.NOTHING;
                        }
                        LOG.infof("rejected %s of tenant %s: %s", p.generationId(), p.tenantId(), refused.reason());
                        metrics.rejected(refused.reason());
                        return Result.REJECTED;
                    });
        }
        if (outcome instanceof ReservationOutcome.Ended ended) {
            // Billing handled the cancellation first, so this row has ended here as well (the
            // dispatcher announced it); if it has not yet, the next pass asks again.
            LOG.infof("reservation of %s not needed: %s", p.generationId(), ended.detail());
            return queue.deferReservation(p.generationId(), backoff.after(p.failedAttempts() + 1))
                    .replaceWith(Result.NOTHING);
        }
        ReservationOutcome.Unavailable unavailable = (ReservationOutcome.Unavailable) outcome;
        int failures = p.failedAttempts() + 1;
        Duration wait = backoff.after(failures);
        LOG.warnf("billing unavailable for %s (attempt %d), retrying in %d ms: %s", p.generationId(), failures,
                wait.toMillis(), unavailable.cause());
        metrics.reservationRetry();
        return queue.deferReservation(p.generationId(), wait).replaceWith(Result.DEFERRED);
    }

    /**
     * A cancel or a deadline ended the generation while billing was granting its reservation.
     * Billing decides the two one after the other: it granted first, so the cancellation it has
     * yet to handle releases the reservation. The grant is still announced, after the
     * cancellation, so that a ledger rebuilt from the topic holds it too (and releases it there,
     * the end being already known).
     */
    private Uni<Result> announceIfEndedMeanwhile(SqlConnection tx, PendingReservation p,
            ReservationOutcome.Reserved reserved, GenerationReserved announcement) {
        return queue.recordLateReservation(tx, p.generationId(), reserved.amountMicros(), reserved.priceBookVersion())
                .flatMap(endedAs -> endedAs.isEmpty()
                        ? Uni.createFrom().item(Result.NOTHING)
                        : outbox.append(tx, List.of(announcement), trace(p)).replaceWith(Result.ENDED_MEANWHILE));
    }

    private static Optional<TraceParent> trace(PendingReservation p) {
        return TraceParent.of(p.traceparent());
    }
}
