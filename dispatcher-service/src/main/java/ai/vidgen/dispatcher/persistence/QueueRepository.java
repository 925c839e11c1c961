package ai.vidgen.dispatcher.persistence;

import ai.vidgen.dispatcher.domain.FairShare;
import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.domain.QueueStatus;
import ai.vidgen.events.GenerationSpec;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The queue table. Statements that must run together take the transaction's connection; the
 * others run on the pool. Every state change is conditional on the current status, so a
 * redelivered or duplicated event, or a second replica doing the same work, changes nothing.
 */
@ApplicationScoped
public class QueueRepository {

    /**
     * Serializes dispatch passes across replicas. The in-flight limit is global, so counting the
     * free slots and taking them has to be one critical section (SKIP LOCKED alone would keep two
     * replicas off the same row, not off the same slot).
     */
    static final long DISPATCH_LOCK = 0x7664697370L; // "vdisp"

    /** Release order: interactive before batch, then the oldest first. Matches an index. */
    static final String RELEASE_ORDER = "(priority = 'batch'), enqueued_at, generation_id";

    private static final String ENTRY_COLUMNS = """
            generation_id, tenant_id, endpoint_id, seconds, audio, voice_control, priority, fal_priority,
            status, attempt, deadline, accepted_at, enqueued_at, reserve_attempts, next_reserve_at, reserved_at,
            reserved_micros, price_book_version, reject_reason, reject_detail, outcome, dispatched_at, finished_at,
            draft, requested_endpoint_id, retry_at, last_error_type, last_error_message""";

    private final Pool pool;

    public QueueRepository(Pool pool) {
        this.pool = pool;
    }

    /** Stores a new generation as RESERVING; false when it is already known (a redelivery). */
    public Uni<Boolean> insertIfAbsent(NewGeneration g) {
        return pool.preparedQuery("""
                INSERT INTO generation_queue (generation_id, tenant_id, endpoint_id, seconds, audio, voice_control,
                    input, priority, fal_priority, status, deadline, accepted_at, draft, requested_endpoint_id,
                    traceparent)
                VALUES ($1, $2, $3, $4, $5, $6, $7::text::jsonb, $8, $9, 'RESERVING', $10, $11, $12, $13, $14)
                ON CONFLICT (generation_id) DO NOTHING""")
                .execute(Tuple.from(Arrays.asList(g.generationId(), g.tenantId(), g.spec().endpointId(),
                        g.spec().seconds(), g.spec().audio(), g.spec().voiceControl(), g.inputJson(),
                        g.priority().code(), g.priority().falPriority(), utc(g.deadline()), utc(g.acceptedAt()),
                        g.draft(), g.requestedEndpointId(), g.traceparent())))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Claims up to {@code limit} generations whose reservation is due, and pushes their next
     * attempt {@code lease} into the future so no other replica takes them meanwhile.
     */
    public Uni<List<PendingReservation>> claimDueReservations(int limit, Duration lease) {
        return pool.preparedQuery("""
                UPDATE generation_queue q
                   SET next_reserve_at = now() + make_interval(secs => $2), updated_at = now()
                  FROM (SELECT generation_id FROM generation_queue
                         WHERE status = 'RESERVING' AND next_reserve_at <= now()
                           -- past its deadline: the dispatch pass ends it, billing is never asked
                           AND (deadline IS NULL OR deadline > now())
                         ORDER BY enqueued_at, generation_id
                         LIMIT $1
                           FOR UPDATE SKIP LOCKED) due
                 WHERE q.generation_id = due.generation_id
                RETURNING q.generation_id, q.tenant_id, q.endpoint_id, q.seconds, q.audio, q.voice_control,
                          q.accepted_at, q.reserve_attempts, q.enqueued_at, q.traceparent""")
                .execute(Tuple.of(limit, seconds(lease)))
                .map(rows -> {
                    List<PendingReservation> claimed = new ArrayList<>();
                    for (Row r : rows) {
                        claimed.add(new PendingReservation(r.getString("generation_id"), r.getString("tenant_id"),
                                spec(r), instant(r.getOffsetDateTime("accepted_at")), r.getInteger("reserve_attempts"),
                                r.getString("traceparent")));
                    }
                    return claimed;
                });
    }

    /** RESERVING to QUEUED, in the caller's transaction; false when the generation had already moved on. */
    public Uni<Boolean> markReserved(SqlConnection tx, String generationId, long amountMicros, String priceBookVersion) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'QUEUED', reserved_at = now(), reserved_micros = $2, price_book_version = $3,
                       updated_at = now()
                 WHERE generation_id = $1 AND status = 'RESERVING'""")
                .execute(Tuple.of(generationId, amountMicros, priceBookVersion))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Records a reservation granted after the generation was cancelled or expired while still
     * RESERVING. Returns the outcome it ended with, or empty when there is nothing to record (it
     * ended otherwise, or the late reservation was recorded already).
     */
    public Uni<Optional<String>> recordLateReservation(SqlConnection tx, String generationId, long amountMicros,
            String priceBookVersion) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET reserved_at = now(), reserved_micros = $2, price_book_version = $3, updated_at = now()
                 WHERE generation_id = $1 AND status = 'DONE' AND attempt = 0 AND reserved_micros IS NULL
                   AND outcome IN ('cancelled', 'deadline_passed')
                RETURNING outcome""")
                .execute(Tuple.of(generationId, amountMicros, priceBookVersion))
                .map(rows -> rows.rowCount() == 1 ? Optional.of(rows.iterator().next().getString(0)) : Optional.empty());
    }

    /** Counts a failed reservation attempt and schedules the next one. */
    public Uni<Void> deferReservation(String generationId, Duration delay) {
        return pool.preparedQuery("""
                UPDATE generation_queue
                   SET reserve_attempts = reserve_attempts + 1, next_reserve_at = now() + make_interval(secs => $2),
                       updated_at = now()
                 WHERE generation_id = $1 AND status = 'RESERVING'""")
                .execute(Tuple.of(generationId, seconds(delay)))
                .replaceWithVoid();
    }

    /** RESERVING to REJECTED, in the caller's transaction; false when it had already moved on. */
    public Uni<Boolean> markRejected(SqlConnection tx, String generationId, String reason, String detail) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'REJECTED', reject_reason = $2, reject_detail = $3, outcome = 'rejected',
                       finished_at = now(), updated_at = now()
                 WHERE generation_id = $1 AND status = 'RESERVING'""")
                .execute(Tuple.of(generationId, reason, detail))
                .map(rows -> rows.rowCount() == 1);
    }

    /** Takes the dispatch lock until the caller's transaction ends. */
    public Uni<Void> lockDispatch(SqlConnection tx) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock($1)").execute(Tuple.of(DISPATCH_LOCK)).replaceWithVoid();
    }

    public Uni<Long> countInFlight(SqlClient client) {
        return client.query("SELECT count(*) FROM generation_queue WHERE status = 'DISPATCHED'").execute()
                .map(rows -> rows.iterator().next().getLong(0));
    }

    /** DISPATCHED generations per tenant. */
    public Uni<Map<String, Long>> inFlightByTenant(SqlClient client) {
        return client.query("SELECT tenant_id, count(*) FROM generation_queue WHERE status = 'DISPATCHED'"
                        + " GROUP BY tenant_id").execute()
                .map(rows -> {
                    Map<String, Long> byTenant = new HashMap<>();
                    rows.forEach(r -> byTenant.put(r.getString(0), r.getLong(1)));
                    return byTenant;
                });
    }

    /**
     * The generations that may be released now (QUEUED, past any retry backoff, before any
     * deadline): at most {@code perTenant} of each tenant, each tenant's in its release order.
     * Fair sharing picks among them ({@link FairShare}); no tenant can take more than the free
     * slots, so that bounds what is read.
     */
    public Uni<List<FairShare.Candidate>> releaseCandidates(SqlClient client, int perTenant) {
        return client.preparedQuery("SELECT generation_id, tenant_id, priority, enqueued_at FROM ("
                        + " SELECT generation_id, tenant_id, priority, enqueued_at,"
                        + " row_number() OVER (PARTITION BY tenant_id ORDER BY " + RELEASE_ORDER + ") AS rn"
                        + " FROM generation_queue"
                        + " WHERE status = 'QUEUED' AND (retry_at IS NULL OR retry_at <= now())"
                        + " AND (deadline IS NULL OR deadline > now())) c"
                        + " WHERE rn <= $1 ORDER BY tenant_id, rn")
                .execute(Tuple.of(perTenant))
                .map(rows -> {
                    List<FairShare.Candidate> candidates = new ArrayList<>();
                    for (Row r : rows) {
                        candidates.add(new FairShare.Candidate(r.getString("generation_id"), r.getString("tenant_id"),
                                Priority.fromCode(r.getString("priority")),
                                r.getOffsetDateTime("enqueued_at").toInstant()));
                    }
                    return candidates;
                });
    }

    /**
     * QUEUED to DISPATCHED with the next attempt number, in the caller's transaction, in the given order.
     * The wait is measured with {@code clock_timestamp()}: {@code now()} is the start of the pass's
     * transaction, which can be earlier than a row enqueued while the pass waited for its lock.
     */
    public Uni<List<ReleasedGeneration>> markDispatched(SqlConnection tx, List<String> generationIds) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'DISPATCHED', attempt = attempt + 1, dispatched_at = now(), retry_at = NULL,
                       updated_at = now()
                 WHERE generation_id = ANY($1) AND status = 'QUEUED'
                RETURNING generation_id, tenant_id, endpoint_id, seconds, audio, voice_control, input::text AS input,
                          attempt, priority, fal_priority, EXTRACT(EPOCH FROM (clock_timestamp() - enqueued_at)) AS waited,
                          traceparent""")
                .execute(Tuple.of(generationIds.toArray(new String[0])))
                .map(rows -> {
                    Map<String, ReleasedGeneration> byId = new HashMap<>();
                    for (Row r : rows) {
                        byId.put(r.getString("generation_id"), new ReleasedGeneration(r.getString("generation_id"),
                                r.getString("tenant_id"), spec(r), r.getString("input"), r.getInteger("attempt"),
                                Priority.fromCode(r.getString("priority")), r.getString("fal_priority"),
                                Duration.ofMillis(Math.round(r.getNumeric("waited").doubleValue() * 1000)),
                                r.getString("traceparent")));
                    }
                    List<ReleasedGeneration> inOrder = new ArrayList<>();
                    for (String id : generationIds) {
                        ReleasedGeneration released = byId.get(id);
                        if (released != null) {
                            inOrder.add(released);
                        }
                    }
                    return inOrder;
                });
    }

    /**
     * Ends a dispatched attempt (completed, failed): DISPATCHED to DONE when the attempt matches.
     *
     * @return true when this call freed the generation's slot
     */
    public Uni<Boolean> finishAttempt(String generationId, int attempt, String outcome) {
        return pool.preparedQuery("""
                UPDATE generation_queue SET status = 'DONE', outcome = $3, finished_at = now(), updated_at = now()
                 WHERE generation_id = $1 AND status = 'DISPATCHED' AND attempt = $2""")
                .execute(Tuple.of(generationId, attempt, outcome))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * Ends a generation whatever stage it is in short of its end (cancelled, rejected downstream):
     * RESERVING, QUEUED or DISPATCHED to DONE.
     *
     * @return true when the generation was ended by this call
     */
    public Uni<Boolean> finishGeneration(String generationId, String outcome) {
        return pool.preparedQuery("""
                UPDATE generation_queue SET status = 'DONE', outcome = $2, finished_at = now(), updated_at = now()
                 WHERE generation_id = $1 AND status IN ('RESERVING', 'QUEUED', 'DISPATCHED')""")
                .execute(Tuple.of(generationId, outcome))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * A retryable failure of the dispatched attempt: DISPATCHED back to QUEUED, released again no
     * sooner than {@code delay} from now, keeping its place in line and its reservation. Refused
     * (false) when the deadline would pass first, or when the attempt is not the one in flight.
     */
    public Uni<Boolean> requeueForRetry(SqlConnection tx, String generationId, int attempt, Duration delay,
            String errorType, String message) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'QUEUED', retry_at = now() + make_interval(secs => $3), last_error_type = $4,
                       last_error_message = $5, updated_at = now()
                 WHERE generation_id = $1 AND status = 'DISPATCHED' AND attempt = $2
                   AND (deadline IS NULL OR deadline > now() + make_interval(secs => $3))""")
                .execute(Tuple.of(generationId, attempt, seconds(delay), errorType, message))
                .map(rows -> rows.rowCount() == 1);
    }

    /**
     * The dispatched attempt failed and no other will be made: DISPATCHED to DONE (abandoned or
     * failed). Empty when the attempt is not the one in flight.
     */
    public Uni<Optional<EndedGeneration>> endAttempt(SqlConnection tx, String generationId, int attempt, String outcome,
            String errorType, String message) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'DONE', outcome = $3, last_error_type = $4, last_error_message = $5,
                       finished_at = now(), updated_at = now()
                 WHERE generation_id = $1 AND status = 'DISPATCHED' AND attempt = $2
                RETURNING tenant_id, traceparent""")
                .execute(Tuple.of(generationId, attempt, outcome, errorType, message))
                .map(QueueRepository::ended);
    }

    /**
     * A cancel request for a generation not yet dispatched (RESERVING, QUEUED, or QUEUED waiting
     * for a retry): it becomes DONE (cancelled). Empty when it was already dispatched or ended
     * (then the request is not this service's to answer).
     */
    public Uni<Optional<EndedGeneration>> cancelBeforeDispatch(SqlConnection tx, String generationId) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'DONE', outcome = 'cancelled', finished_at = now(), updated_at = now()
                 WHERE generation_id = $1 AND status IN ('RESERVING', 'QUEUED')
                RETURNING tenant_id, traceparent""")
                .execute(Tuple.of(generationId))
                .map(QueueRepository::ended);
    }

    /**
     * Ends waiting generations whose deadline has passed (at most {@code limit}): DONE with outcome
     * {@code deadline_passed} when no attempt was made, {@code abandoned} when one waited for a retry.
     */
    public Uni<List<ExpiredGeneration>> expireDeadlines(SqlConnection tx, int limit) {
        return tx.preparedQuery("""
                UPDATE generation_queue q
                   SET status = 'DONE', outcome = CASE WHEN q.attempt = 0 THEN 'deadline_passed' ELSE 'abandoned' END,
                       finished_at = now(), updated_at = now()
                  FROM (SELECT generation_id FROM generation_queue
                         WHERE deadline <= now() AND status IN ('RESERVING', 'QUEUED')
                         ORDER BY deadline LIMIT $1
                           FOR UPDATE SKIP LOCKED) due
                 WHERE q.generation_id = due.generation_id
                RETURNING q.generation_id, q.tenant_id, q.attempt, q.last_error_type, q.last_error_message,
                          q.traceparent""")
                .execute(Tuple.of(limit))
                .map(rows -> {
                    List<ExpiredGeneration> expired = new ArrayList<>();
                    for (Row r : rows) {
                        expired.add(new ExpiredGeneration(r.getString("generation_id"), r.getString("tenant_id"),
                                r.getInteger("attempt"), r.getString("last_error_type"),
                                r.getString("last_error_message"), r.getString("traceparent")));
                    }
                    return expired;
                });
    }

    /**
     * Gives back the slots of generations DISPATCHED longer than {@code after} without a terminal
     * event: DONE with outcome {@code reclaimed} (also the last error type, as the generation's
     * GenerationAbandoned says). The caller announces them in the same transaction. A terminal
     * event of the attempt that arrives later matches no DISPATCHED row and changes nothing.
     */
    public Uni<List<ReclaimedGeneration>> reclaimStuck(SqlConnection tx, Duration after) {
        return tx.preparedQuery("""
                UPDATE generation_queue
                   SET status = 'DONE', outcome = 'reclaimed', last_error_type = 'reclaimed',
                       last_error_message = $2, finished_at = now(), updated_at = now()
                 WHERE status = 'DISPATCHED' AND dispatched_at < now() - make_interval(secs => $1)
                RETURNING generation_id, tenant_id, attempt, traceparent""")
                .execute(Tuple.of(seconds(after), reclaimMessage(after)))
                .map(rows -> {
                    List<ReclaimedGeneration> reclaimed = new ArrayList<>();
                    for (Row r : rows) {
                        reclaimed.add(new ReclaimedGeneration(r.getString("generation_id"), r.getString("tenant_id"),
                                r.getInteger("attempt"), r.getString("traceparent")));
                    }
                    return reclaimed;
                });
    }

    /** Why a reclaimed generation ended, as its row and its GenerationAbandoned tell it. */
    public static String reclaimMessage(Duration after) {
        return "no terminal event within " + after + " of the dispatch; the slot was reclaimed";
    }

    /** The {@code last_error_type} of a generation ended because the broker refused its event. */
    public static final String PUBLISH_REJECTED = "publish_rejected";

    /**
     * Ends a generation whose event the broker refused for good: one still waiting or dispatched
     * becomes DONE (outcome {@code failed}, its slot freed), one already ended keeps its outcome;
     * either way {@code last_error_type} becomes {@code publish_rejected}, which marks it handled.
     * Empty when it was handled before (or is unknown).
     */
    public Uni<Optional<UnpublishedGeneration>> failUnpublished(SqlConnection tx, String generationId, String message) {
        return tx.preparedQuery("""
                UPDATE generation_queue q
                   SET status = CASE WHEN old.status IN ('RESERVING', 'QUEUED', 'DISPATCHED') THEN 'DONE' ELSE old.status END,
                       outcome = CASE WHEN old.status IN ('RESERVING', 'QUEUED', 'DISPATCHED') THEN 'failed' ELSE old.outcome END,
                       last_error_type = $2, last_error_message = $3,
                       finished_at = coalesce(old.finished_at, now()), updated_at = now()
                  FROM (SELECT generation_id, status, outcome, finished_at FROM generation_queue
                         WHERE generation_id = $1 FOR UPDATE) old
                 WHERE q.generation_id = old.generation_id AND q.last_error_type IS DISTINCT FROM $2
                RETURNING q.tenant_id, q.attempt, q.traceparent, old.status = 'DISPATCHED' AS freed""")
                .execute(Tuple.of(generationId, PUBLISH_REJECTED, message))
                .map(rows -> {
                    if (rows.rowCount() != 1) {
                        return Optional.empty();
                    }
                    Row r = rows.iterator().next();
                    return Optional.of(new UnpublishedGeneration(r.getString("tenant_id"), r.getInteger("attempt"),
                            r.getString("traceparent"), r.getBoolean("freed")));
                });
    }

    /**
     * Set-aside outbox rows of the given event types whose generation was not yet ended for it
     * ({@link #failUnpublished}), oldest first: what a lost refusal report left behind.
     */
    public Uni<List<RefusedEvent>> refusedNotYetFailed(List<String> eventTypes, int limit) {
        return pool.preparedQuery("""
                SELECT o.generation_id, o.event_id, o.event_type, o.refusal
                  FROM outbox o JOIN generation_queue q ON q.generation_id = o.generation_id
                 WHERE o.refused_at IS NOT NULL AND o.event_type = ANY($1)
                   AND q.last_error_type IS DISTINCT FROM $2
                 ORDER BY o.id LIMIT $3""")
                .execute(Tuple.of(eventTypes.toArray(new String[0]), PUBLISH_REJECTED, limit))
                .map(rows -> {
                    List<RefusedEvent> refused = new ArrayList<>();
                    for (Row r : rows) {
                        refused.add(new RefusedEvent(r.getString("generation_id"), r.getString("event_id"),
                                r.getString("event_type"), r.getString("refusal")));
                    }
                    return refused;
                });
    }

    /** Counts by tenant and priority of QUEUED and DISPATCHED generations, and the oldest waiting. */
    public Uni<List<TenantLoad>> tenantLoads() {
        return pool.query("""
                SELECT tenant_id, priority, status, count(*) AS n,
                       EXTRACT(EPOCH FROM (now() - min(enqueued_at))) AS oldest
                  FROM generation_queue WHERE status IN ('QUEUED', 'DISPATCHED')
                 GROUP BY tenant_id, priority, status""")
                .execute()
                .map(rows -> {
                    List<TenantLoad> loads = new ArrayList<>();
                    for (Row r : rows) {
                        loads.add(new TenantLoad(r.getString("tenant_id"), Priority.fromCode(r.getString("priority")),
                                QueueStatus.valueOf(r.getString("status")), r.getLong("n"),
                                r.getNumeric("oldest").doubleValue()));
                    }
                    return loads;
                });
    }

    public Uni<QueueStats> stats() {
        return pool.query("SELECT status, priority, count(*) AS n FROM generation_queue GROUP BY status, priority")
                .execute()
                .map(rows -> {
                    QueueStats stats = QueueStats.empty();
                    for (Row r : rows) {
                        QueueStatus status = QueueStatus.valueOf(r.getString("status"));
                        long n = r.getLong("n");
                        stats.byStatus().merge(status, n, Long::sum);
                        if (status == QueueStatus.QUEUED) {
                            stats.queuedByPriority().merge(Priority.fromCode(r.getString("priority")), n, Long::sum);
                        }
                    }
                    return stats;
                });
    }

    /** The QUEUED generations in release order (position 1 goes next), optionally of one tenant. */
    public Uni<List<QueueEntry>> listQueued(String tenantId, int limit) {
        return pool.preparedQuery("SELECT * FROM (SELECT " + ENTRY_COLUMNS + ", row_number() OVER (ORDER BY "
                        + RELEASE_ORDER + ") AS position FROM generation_queue WHERE status = 'QUEUED') q"
                        + " WHERE ($1::text IS NULL OR tenant_id = $1) ORDER BY position LIMIT $2")
                .execute(Tuple.of(tenantId, limit))
                .map(QueueRepository::entries);
    }

    public Uni<Optional<QueueEntry>> find(String generationId) {
        return pool.preparedQuery("SELECT " + ENTRY_COLUMNS + ", NULL::bigint AS position FROM generation_queue"
                        + " WHERE generation_id = $1")
                .execute(Tuple.of(generationId))
                .map(rows -> entries(rows).stream().findFirst());
    }

    private static List<QueueEntry> entries(RowSet<Row> rows) {
        List<QueueEntry> entries = new ArrayList<>();
        for (Row r : rows) {
            entries.add(new QueueEntry(r.getString("generation_id"), r.getString("tenant_id"),
                    r.getString("endpoint_id"), r.getInteger("seconds"), r.getBoolean("audio"),
                    r.getBoolean("voice_control"), r.getString("priority"), r.getString("fal_priority"),
                    r.getString("status"), r.getInteger("attempt"), r.getOffsetDateTime("deadline"),
                    r.getOffsetDateTime("accepted_at"), r.getOffsetDateTime("enqueued_at"),
                    r.getInteger("reserve_attempts"), r.getOffsetDateTime("next_reserve_at"),
                    r.getOffsetDateTime("reserved_at"), r.getLong("reserved_micros"),
                    r.getString("price_book_version"), r.getString("reject_reason"), r.getString("reject_detail"),
                    r.getString("outcome"), r.getOffsetDateTime("dispatched_at"), r.getOffsetDateTime("finished_at"),
                    r.getBoolean("draft"), r.getString("requested_endpoint_id"), r.getOffsetDateTime("retry_at"),
                    r.getString("last_error_type"), r.getString("last_error_message"), r.getLong("position")));
        }
        return entries;
    }

    private static Optional<EndedGeneration> ended(RowSet<Row> rows) {
        if (rows.rowCount() != 1) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new EndedGeneration(r.getString("tenant_id"), r.getString("traceparent")));
    }

    private static GenerationSpec spec(Row r) {
        return new GenerationSpec(r.getString("endpoint_id"), r.getInteger("seconds"), r.getBoolean("audio"),
                r.getBoolean("voice_control"));
    }

    private static double seconds(Duration d) {
        return d.toMillis() / 1000.0;
    }

    static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
