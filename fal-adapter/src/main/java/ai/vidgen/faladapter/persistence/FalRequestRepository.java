package ai.vidgen.faladapter.persistence;

import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.faladapter.client.SubmitOutcome;
import ai.vidgen.faladapter.domain.FalError;
import ai.vidgen.faladapter.domain.FalRequestState;
import ai.vidgen.faladapter.domain.TrackedRequest;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jboss.logging.Logger;

/**
 * Every read and write of {@code fal_requests}. Each method runs in its own transaction and must
 * be subscribed on a Vert.x (duplicated) context, as Hibernate Reactive requires.
 */
@ApplicationScoped
public class FalRequestRepository {

    private static final Logger LOG = Logger.getLogger(FalRequestRepository.class);

    private static final String INSERT_INTENT = """
            INSERT INTO fal_requests (generation_id, attempt, tenant_id, endpoint_id, spec_seconds, spec_audio,
                                      spec_voice_control, fal_priority, state, traceparent, created_at, updated_at)
            VALUES (:generationId, :attempt, :tenantId, :endpointId, :seconds, :audio, :voiceControl, :priority,
                    'SUBMITTING', :traceparent, :now, :now)
            ON CONFLICT (generation_id, attempt) DO NOTHING
            RETURNING id
            """;

    /**
     * Claims the oldest due rows: pushes their next_poll_at to the end of a lease so that another
     * tick (or another instance) does not poll them meanwhile; SKIP LOCKED lets instances share.
     */
    private static final String CLAIM_DUE = """
            UPDATE fal_requests SET next_poll_at = :leaseUntil
            WHERE id IN (SELECT id FROM fal_requests
                         WHERE state IN ('IN_QUEUE', 'IN_PROGRESS') AND submitted_published
                           AND next_poll_at <= :now
                         ORDER BY next_poll_at
                         LIMIT :limit
                         FOR UPDATE SKIP LOCKED)
            RETURNING *
            """;

    /**
     * Inserts the intent row (state SUBMITTING) for a dispatched attempt and commits it.
     *
     * @param traceparent the generation's trace, continued by everything done later for the attempt; may be null
     * @return the new row's id, or null when the attempt already has a row (a redelivery)
     */
    public Uni<Long> insertIntent(GenerationDispatched dispatched, String priority, String traceparent, Instant now) {
        GenerationSpec spec = dispatched.spec();
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(INSERT_INTENT)
                .setParameter("generationId", dispatched.generationId())
                .setParameter("attempt", dispatched.attempt())
                .setParameter("tenantId", dispatched.tenantId())
                .setParameter("endpointId", spec.endpointId())
                .setParameter("seconds", spec.seconds())
                .setParameter("audio", spec.audio())
                .setParameter("voiceControl", spec.voiceControl())
                .setParameter("priority", priority)
                .setParameter("traceparent", traceparent)
                .setParameter("now", now)
                .getResultList()))
                .map(ids -> ids.isEmpty() ? null : ((Number) ids.get(0)).longValue());
    }

    public Uni<TrackedRequest> find(String generationId, int attempt) {
        return Panache.withSession(() -> FalRequest.<FalRequest>find("generationId = ?1 and attempt = ?2",
                generationId, attempt).firstResult())
                .map(row -> row == null ? null : snapshot(row));
    }

    /**
     * Records fal's answer to the submit: the request id and URLs, IN_QUEUE. Also recovers a row
     * marked NEEDS_ATTENTION meanwhile (the answer came late but it came).
     *
     * @return false when the row already had a request id or is no longer waiting for one
     */
    public Uni<Boolean> recordAccepted(long id, SubmitOutcome.Accepted accepted, Instant now, Instant nextPollAt) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>findById(id).map(row -> {
            if (row == null || row.falRequestId != null
                    || (row.state != FalRequestState.SUBMITTING && row.state != FalRequestState.NEEDS_ATTENTION)) {
                return false;
            }
            row.falRequestId = accepted.requestId();
            row.statusUrl = accepted.statusUrl();
            row.responseUrl = accepted.responseUrl();
            row.cancelUrl = accepted.cancelUrl();
            row.queuePosition = accepted.queuePosition();
            row.state = FalRequestState.IN_QUEUE;
            row.submittedAt = now;
            // A cancel that came while the submit was under way goes out with the first poll, now.
            row.nextPollAt = row.cancelRequestedAt != null ? now : nextPollAt;
            row.lastError = null;
            row.errorType = null;
            row.updatedAt = now;
            return true;
        }));
    }

    public Uni<Void> markSubmittedPublished(long id, Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>findById(id).invoke(row -> {
            row.submittedPublished = true;
            row.updatedAt = now;
        })).replaceWithVoid();
    }

    /** A submit fal definitely did not take: FAILED, its event still to publish. */
    public Uni<Boolean> recordSubmitFailure(long id, FalError error, Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>findById(id).map(row -> {
            if (row == null || row.state != FalRequestState.SUBMITTING || row.falRequestId != null) {
                return false;
            }
            row.state = FalRequestState.FAILED;
            row.errorType = error.errorType();
            row.lastError = error.message();
            row.retryable = error.retryable();
            row.terminalPublished = false;
            row.finishedAt = now;
            row.updatedAt = now;
            return true;
        }));
    }

    public Uni<Void> markTerminalPublished(long id, Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>findById(id).invoke(row -> {
            row.terminalPublished = true;
            row.updatedAt = now;
        })).replaceWithVoid();
    }

    /**
     * Flags an attempt whose fate at fal we cannot know.
     *
     * @param expected only a row in this state (and without a request id when SUBMITTING) changes
     * @return whether the row changed
     */
    public Uni<Boolean> markNeedsAttention(long id, FalRequestState expected, String errorType, String reason,
            Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>findById(id).map(row -> {
            if (row == null || row.state != expected
                    || (expected == FalRequestState.SUBMITTING && row.falRequestId != null)) {
                return false;
            }
            row.state = FalRequestState.NEEDS_ATTENTION;
            row.errorType = errorType;
            row.lastError = reason;
            row.nextPollAt = null;
            row.updatedAt = now;
            return true;
        }));
    }

    /** Claims up to {@code limit} due rows until {@code leaseUntil} and returns them. */
    public Uni<List<TrackedRequest>> claimDue(int limit, Instant now, Instant leaseUntil) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(CLAIM_DUE, FalRequest.class)
                .setParameter("leaseUntil", leaseUntil)
                .setParameter("now", now)
                .setParameter("limit", limit)
                .getResultList()))
                .map(rows -> rows.stream().map(FalRequestRepository::snapshot).toList());
    }

    /**
     * Applies the poller's changes in one transaction. A row that left the tracked states
     * meanwhile (cancelled, recovered by an operator) is left alone.
     */
    public Uni<List<RowChange>> apply(List<RowChange> changes, Instant now) {
        if (changes.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        List<Long> ids = changes.stream().map(RowChange::id).toList();
        return Panache.withTransaction(() -> FalRequest.<FalRequest>list("id in ?1", ids).map(rows -> {
            Map<Long, FalRequest> byId = rows.stream().collect(Collectors.toMap(r -> r.id, Function.identity()));
            List<RowChange> applied = new java.util.ArrayList<>();
            for (RowChange change : changes) {
                FalRequest row = byId.get(change.id());
                if (row == null || !row.state.isTracked()) {
                    LOG.debugf("row %d left the tracked states; change dropped", change.id());
                    continue;
                }
                change.apply().accept(row);
                row.updatedAt = now;
                applied.add(change);
            }
            return applied;
        }));
    }

    /**
     * Whether the row is still tracked. The poller asks just before it publishes a terminal event,
     * so an attempt abandoned meanwhile gets none.
     */
    public Uni<Boolean> stillTracked(long id) {
        return Panache.withSession(() -> FalRequest.<FalRequest>findById(id))
                .map(row -> row != null && row.state.isTracked());
    }

    /**
     * The generation was ended by someone else (GenerationAbandoned): every open attempt of it
     * becomes ABANDONED, polled no more, with nothing left to publish; a FAILED attempt whose
     * GenerationFailed was not published yet never publishes it. One transaction, rows locked, so
     * it is serialized with the webhook and cancel paths; idempotent.
     *
     * @return the attempts that had a request at fal still open (to cancel there, best effort)
     */
    public Uni<List<TrackedRequest>> abandon(String generationId, String errorType, String reason, Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>find("""
                        generationId = ?1 and (state in ?2 or (state = ?3 and terminalPublished = false))""",
                generationId, OPEN_STATES, FalRequestState.FAILED)
                .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).list()
                .map(rows -> {
                    List<TrackedRequest> atFal = new java.util.ArrayList<>();
                    for (FalRequest row : rows) {
                        if (row.state == FalRequestState.FAILED) {
                            row.terminalPublished = true; // its outcome is the other party's now
                            row.updatedAt = now;
                            continue;
                        }
                        if (row.state.isTracked() && row.falRequestId != null) {
                            atFal.add(snapshot(row));
                        }
                        row.state = FalRequestState.ABANDONED;
                        row.errorType = errorType;
                        row.lastError = reason;
                        row.queuePosition = null;
                        row.nextPollAt = null;
                        row.terminalPublished = true;
                        row.finishedAt = now;
                        row.updatedAt = now;
                    }
                    return atFal;
                }));
    }

    private static final List<FalRequestState> OPEN_STATES = List.of(FalRequestState.SUBMITTING,
            FalRequestState.IN_QUEUE, FalRequestState.IN_PROGRESS, FalRequestState.NEEDS_ATTENTION);

    /** Rows per state, for the in-flight gauges. */
    public Uni<Map<FalRequestState, Long>> countByState() {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createSelectionQuery("select r.state, count(r) from FalRequest r group by r.state", Object[].class)
                .getResultList()))
                .map(rows -> {
                    Map<FalRequestState, Long> counts = new EnumMap<>(FalRequestState.class);
                    for (Object[] row : rows) {
                        counts.put((FalRequestState) row[0], ((Number) row[1]).longValue());
                    }
                    return counts;
                });
    }

    public Uni<List<TrackedRequest>> byGeneration(String generationId) {
        return Panache.withSession(() -> FalRequest.<FalRequest>list("generationId = ?1 order by attempt",
                generationId)).map(rows -> rows.stream().map(FalRequestRepository::snapshot).toList());
    }

    public Uni<List<TrackedRequest>> byState(FalRequestState state, int limit) {
        return Panache.withSession(() -> FalRequest.<FalRequest>find("state = ?1 order by updatedAt", state)
                .page(0, limit).list()).map(rows -> rows.stream().map(FalRequestRepository::snapshot).toList());
    }

    static TrackedRequest snapshot(FalRequest row) {
        return new TrackedRequest(row.id, row.generationId, row.attempt, row.tenantId,
                new GenerationSpec(row.endpointId, row.specSeconds, row.specAudio, row.specVoiceControl),
                row.falPriority, row.state, row.falRequestId, row.statusUrl, row.responseUrl, row.cancelUrl,
                row.queuePosition, row.logLinesSeen, row.pollCount, row.pollFailures, row.resultAttempts,
                row.nextPollAt, row.submittedPublished, row.terminalPublished, row.errorType, row.lastError,
                row.retryable, row.cancelRequestedAt != null, row.cancelSentAt != null, row.cancelBeforeStart,
                row.traceparent);
    }

    private static final String INSERT_TOMBSTONE = """
            INSERT INTO fal_cancel_tombstones (generation_id, tenant_id, reason, requested_at)
            VALUES (:generationId, :tenantId, :reason, :requestedAt)
            ON CONFLICT (generation_id) DO NOTHING
            RETURNING generation_id
            """;

    /** What a cancel request found for its generation. */
    public enum CancelEffect {
        /** No attempt row yet: only the tombstone stands, a later Dispatched is not submitted. */
        NO_ATTEMPT,
        /** The latest attempt is at fal or on its way there: the poller will cancel it. */
        PENDING,
        /** The latest attempt is finished (or was cancelled already): nothing to do. */
        ALREADY_DONE
    }

    /**
     * Records a cancel request: a tombstone for the generation (so that no Dispatched seen later is
     * submitted) and, on its latest attempt if that is not finished, a request the poller carries
     * out at once. One transaction; idempotent.
     */
    public Uni<CancelEffect> requestCancel(String generationId, String tenantId, String reason, Instant requestedAt,
            Instant now) {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session
                .createNativeQuery(INSERT_TOMBSTONE)
                .setParameter("generationId", generationId)
                .setParameter("tenantId", tenantId)
                .setParameter("reason", reason)
                .setParameter("requestedAt", requestedAt)
                .getResultList())
                .chain(() -> FalRequest.<FalRequest>find("generationId = ?1 order by attempt desc", generationId)
                        .withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).<FalRequest>firstResult())
                .map((FalRequest row) -> {
                    if (row == null) {
                        return CancelEffect.NO_ATTEMPT;
                    }
                    if (row.state.isTerminal() || row.cancelRequestedAt != null) {
                        return CancelEffect.ALREADY_DONE;
                    }
                    row.cancelRequestedAt = now;
                    if (row.state.isTracked()) {
                        row.nextPollAt = now;
                    }
                    row.updatedAt = now;
                    return CancelEffect.PENDING;
                }));
    }

    /** Whether a cancel request was seen for this generation. */
    public Uni<Boolean> tombstoned(String generationId) {
        return Panache.withSession(() -> Panache.getSession().chain(session -> session
                .createNativeQuery("SELECT count(*) FROM fal_cancel_tombstones WHERE generation_id = :generationId")
                .setParameter("generationId", generationId)
                .getSingleResult()))
                .map(count -> ((Number) count).longValue() > 0);
    }

    /** Error types of an attempt whose submit may or may not have reached fal. */
    public static final List<String> UNCONFIRMED_SUBMIT_TYPES = List.of("submit_reply_lost", "submit_no_answer");
    public static final String SUBMIT_UNCONFIRMED = "submit_unconfirmed";

    /**
     * Attempts whose submit reply was lost, created before {@code createdBefore}, that no webhook
     * has claimed; and those already given up whose GenerationFailed is still to publish.
     */
    public Uni<List<TrackedRequest>> unconfirmedSubmits(Instant createdBefore, int limit) {
        return Panache.withSession(() -> FalRequest.<FalRequest>find("""
                        (state = ?1 and falRequestId is null and errorType in ?2 and createdAt < ?3)
                        or (state = ?4 and errorType = ?5 and terminalPublished = false)
                        order by createdAt""", FalRequestState.NEEDS_ATTENTION, UNCONFIRMED_SUBMIT_TYPES,
                createdBefore, FalRequestState.FAILED, SUBMIT_UNCONFIRMED).page(0, limit).list())
                .map(rows -> rows.stream().map(FalRequestRepository::snapshot).toList());
    }

    /**
     * Gives up on an unconfirmed submit: FAILED (retryable), its event still to publish. Only a row
     * still waiting, without a request id, changes; a webhook that recovered it meanwhile wins.
     */
    public Uni<Boolean> giveUpUnconfirmedSubmit(long id, String reason, Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>findById(id,
                jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).map(row -> {
            if (row == null || row.state != FalRequestState.NEEDS_ATTENTION || row.falRequestId != null) {
                return false;
            }
            row.state = FalRequestState.FAILED;
            row.errorType = SUBMIT_UNCONFIRMED;
            row.lastError = reason;
            row.retryable = true;
            row.terminalPublished = false;
            row.finishedAt = now;
            row.updatedAt = now;
            return true;
        }));
    }

    /** What a verified webhook did to its attempt's row. */
    public enum WebhookEffect {
        /** The row had no fal request id (submit reply lost): it now has the webhook's, IN_QUEUE, due now. */
        RECOVERED,
        /** The row is tracked with this request id: polled now, so the outcome is taken at once. */
        TRIGGERED,
        /** The attempt is already finished (or needs an operator): nothing to do. */
        ALREADY_DONE,
        /** The row is tracked with another fal request id: ignored. */
        OTHER_REQUEST,
        /** No row for the attempt. */
        UNKNOWN
    }

    /** The result of a webhook: its effect and the row after it. */
    public record WebhookUpdate(WebhookEffect effect, TrackedRequest row) {
    }

    /**
     * Applies a verified webhook for {@code (generationId, attempt)} carrying {@code requestId}.
     * Never touches a finished row; never replaces a request id.
     */
    public Uni<WebhookUpdate> onWebhook(String generationId, int attempt, String requestId, Instant now) {
        return Panache.withTransaction(() -> FalRequest.<FalRequest>find("generationId = ?1 and attempt = ?2",
                generationId, attempt).withLock(jakarta.persistence.LockModeType.PESSIMISTIC_WRITE).firstResult()
                .map(row -> {
                    if (row == null) {
                        return new WebhookUpdate(WebhookEffect.UNKNOWN, null);
                    }
                    if (row.falRequestId == null
                            && (row.state == FalRequestState.SUBMITTING || row.state == FalRequestState.NEEDS_ATTENTION)) {
                        row.falRequestId = requestId;
                        row.state = FalRequestState.IN_QUEUE;
                        row.submittedAt = row.submittedAt == null ? now : row.submittedAt;
                        row.nextPollAt = now;
                        row.errorType = null;
                        row.lastError = null;
                        row.updatedAt = now;
                        return new WebhookUpdate(WebhookEffect.RECOVERED, snapshot(row));
                    }
                    if (!requestId.equals(row.falRequestId)) {
                        return new WebhookUpdate(WebhookEffect.OTHER_REQUEST, snapshot(row));
                    }
                    if (row.state.isTracked()) {
                        row.nextPollAt = now;
                        row.updatedAt = now;
                        return new WebhookUpdate(WebhookEffect.TRIGGERED, snapshot(row));
                    }
                    return new WebhookUpdate(WebhookEffect.ALREADY_DONE, snapshot(row));
                }));
    }
}
