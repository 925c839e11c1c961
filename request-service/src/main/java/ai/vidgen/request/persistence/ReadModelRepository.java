package ai.vidgen.request.persistence;

import ai.vidgen.events.ArchiveFailed;
import ai.vidgen.events.GenerationAbandoned;
import ai.vidgen.events.GenerationCancelRequested;
import ai.vidgen.events.GenerationReserved;
import ai.vidgen.request.webhook.WebhookDeliveries;
import ai.vidgen.events.GenerationBilled;
import ai.vidgen.events.GenerationCancelled;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationDispatched;
import ai.vidgen.events.GenerationEvent;
import ai.vidgen.events.GenerationFailed;
import ai.vidgen.events.GenerationProgress;
import ai.vidgen.events.GenerationRejected;
import ai.vidgen.events.GenerationSubmitted;
import ai.vidgen.events.VideoArchived;
import ai.vidgen.events.envelope.DecodedEvent;
import ai.vidgen.request.domain.FoldOutcome;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.domain.Progression;
import ai.vidgen.request.domain.Stage;
import ai.vidgen.request.domain.StatusFold;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Folds lifecycle events into the generations table: one transaction per event that records the
 * event as processed, locks the generation, applies {@link StatusFold}, adds the timeline entry and
 * announces the change to the event streams ({@link GenerationChanges}).
 */
@ApplicationScoped
public class ReadModelRepository {

    /** What folding one event did. */
    public enum Result {
        APPLIED,
        /** Seen before (same CloudEvent source and id): nothing changed. */
        DUPLICATE,
        /** Behind the current status (late, or after a terminal status): nothing changed. */
        STALE,
        /** Not a generation of this service (or of another tenant): nothing to fold into. */
        UNKNOWN_GENERATION
    }

    private final Pool pool;
    private final Clock clock;
    private final GenerationRepository generations;
    private final WebhookDeliveries deliveries;

    public ReadModelRepository(Pool pool, GenerationRepository generations, WebhookDeliveries deliveries) {
        this.pool = pool;
        this.generations = generations;
        this.deliveries = deliveries;
        this.clock = Clock.systemUTC();
    }

    public Uni<Result> fold(DecodedEvent decoded) {
        GenerationEvent event = decoded.data();
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT status, status_attempt, status_rank, callback_url FROM generations
                        WHERE id = $1 AND tenant_id = $2 FOR UPDATE""")
                .execute(Tuple.of(event.generationId(), event.tenantId()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(Result.UNKNOWN_GENERATION);
                    }
                    Row row = rows.iterator().next();
                    Progression current = new Progression(
                            GenerationStatus.fromWire(row.getString("status")).orElseThrow(),
                            row.getInteger("status_attempt"), row.getInteger("status_rank"));
                    // The row lock above serializes two deliveries of the same event; the dedup
                    // insert then lets exactly one of them through.
                    String callbackUrl = row.getString("callback_url");
                    return markProcessed(conn, decoded).chain(fresh -> {
                        if (!fresh) {
                            return Uni.createFrom().item(Result.DUPLICATE);
                        }
                        FoldOutcome outcome = StatusFold.fold(current, event);
                        return apply(conn, decoded, outcome)
                                .call(result -> callback(conn, event.generationId(), outcome, callbackUrl));
                    });
                }));
    }

    /**
     * A generation that just reached a terminal status gets its callback queued in the same
     * transaction, so the delivery cannot be lost between the fold and the worker.
     */
    private Uni<Void> callback(SqlConnection conn, String generationId, FoldOutcome outcome, String callbackUrl) {
        if (callbackUrl == null || !(outcome instanceof FoldOutcome.Advance advance)
                || !advance.next().status().terminal()) {
            return Uni.createFrom().voidItem();
        }
        return conn.preparedQuery("SELECT " + GenerationRepository.COLUMNS + " FROM generations WHERE id = $1")
                .execute(Tuple.of(generationId))
                .chain(rows -> deliveries.enqueue(conn, generations.map(rows.iterator().next())));
    }

    /**
     * The error type of a generation whose own event the broker refused for good: the platform
     * never heard of it (or of the cancel asked for it), so it ends here.
     */
    public static final String PUBLISH_REJECTED = "publish_rejected";

    /** An event of this service that the outbox relay set aside, refused for good. */
    public record RefusedEvent(String generationId, String eventId, String eventType, String reason) {
    }

    /**
     * Fails the generation of a refused event ({@link StatusFold#publishRejected}): status
     * {@code failed}, error {@code publish_rejected}, a {@code failed} timeline entry and the
     * callback queued, in one transaction, exactly as a final failure folded from an event would.
     * Idempotent: a generation that already ended is left alone.
     *
     * @return true when this call failed it
     */
    public Uni<Boolean> failUnpublished(RefusedEvent refused) {
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT status, status_attempt, status_rank, callback_url FROM generations
                        WHERE id = $1 FOR UPDATE""")
                .execute(Tuple.of(refused.generationId()))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(false);
                    }
                    Row row = rows.iterator().next();
                    Progression current = new Progression(
                            GenerationStatus.fromWire(row.getString("status")).orElseThrow(),
                            row.getInteger("status_attempt"), row.getInteger("status_rank"));
                    FoldOutcome outcome = StatusFold.publishRejected(current);
                    if (!(outcome instanceof FoldOutcome.Advance advance)) {
                        return Uni.createFrom().item(false);
                    }
                    Map<String, Object> columns = new LinkedHashMap<>();
                    columns.put("status", advance.next().status().wire());
                    columns.put("status_attempt", advance.next().attempt());
                    columns.put("status_rank", advance.next().rank());
                    columns.put("queue_position", null);
                    error(columns, PUBLISH_REJECTED, unpublishedMessage(refused), false);
                    OffsetDateTime now = OffsetDateTime.now(clock);
                    columns.put("updated_at", now);
                    return update(conn, refused.generationId(), columns)
                            .chain(() -> conn.preparedQuery("""
                                            INSERT INTO generation_timeline (generation_id, stage, attempt, at, event_id)
                                            VALUES ($1, $2, $3, $4, $5)
                                            ON CONFLICT (generation_id, stage, attempt) DO NOTHING""")
                                    .execute(Tuple.of(refused.generationId(), advance.stage().wire(),
                                            advance.stageAttempt(), now, refused.eventId())))
                            .chain(() -> GenerationChanges.announce(conn, refused.generationId()))
                            .chain(() -> callback(conn, refused.generationId(), outcome,
                                    row.getString("callback_url")))
                            .replaceWith(true);
                }));
    }

    /**
     * The refused events of generations still waiting (queued or in progress), oldest first: the
     * ones {@link #failUnpublished} has not handled yet, e.g. because the process stopped between
     * the refusal and its handling. The relay keeps set-aside rows for operators.
     */
    public Uni<List<RefusedEvent>> refusedOfWaitingGenerations(int limit) {
        return pool.preparedQuery("""
                        SELECT o.generation_id, o.event_id, o.event_type, o.refusal
                          FROM outbox o JOIN generations g ON g.id = o.generation_id
                         WHERE o.refused_at IS NOT NULL AND g.status = ANY($1)
                         ORDER BY o.id LIMIT $2""")
                .execute(Tuple.of(new String[] {GenerationStatus.QUEUED.wire(), GenerationStatus.IN_PROGRESS.wire()},
                        limit))
                .map(rows -> {
                    List<RefusedEvent> refused = new ArrayList<>();
                    for (Row r : rows) {
                        refused.add(new RefusedEvent(r.getString("generation_id"), r.getString("event_id"),
                                r.getString("event_type"), r.getString("refusal")));
                    }
                    return refused;
                });
    }

    /** What the owner reads: what happened in words, the broker's reason cut short, no internals beyond it. */
    static String unpublishedMessage(RefusedEvent refused) {
        String reason = refused.reason() == null ? "no reason given" : refused.reason();
        if (reason.length() > 300) {
            reason = reason.substring(0, 300) + "…";
        }
        String what = ai.vidgen.events.EventType.REQUESTED.type().equals(refused.eventType())
                ? "the accepted request could not be handed on: the event broker refused it for good; nothing was"
                        + " reserved or charged"
                : "the event broker refused this generation's " + refused.eventType() + " event for good";
        return what + " (" + reason + ")";
    }

    /** Deletes dedup keys older than {@code retention}; returns how many. */
    public Uni<Integer> purgeProcessed(Duration retention) {
        return pool.preparedQuery("DELETE FROM processed_events WHERE processed_at < $1")
                .execute(Tuple.of(OffsetDateTime.now(clock).minus(retention)))
                .map(rows -> rows.rowCount());
    }

    /**
     * Records the event as processed; false when it was already. Progress reports are exempt:
     * their CloudEvent id is the same for every report of a generation (the contract gives them
     * no discriminator), so deduplicating them by id would drop all but the first, and folding
     * one twice only rewrites the same queue position.
     */
    private static Uni<Boolean> markProcessed(SqlConnection conn, DecodedEvent decoded) {
        if (decoded.data() instanceof GenerationProgress) {
            return Uni.createFrom().item(true);
        }
        return conn.preparedQuery("""
                        INSERT INTO processed_events (event_key, generation_id, event_type)
                        VALUES ($1, $2, $3) ON CONFLICT (event_key) DO NOTHING""")
                .execute(Tuple.of(decoded.dedupKey(), decoded.data().generationId(), decoded.envelope().type()))
                .map(rows -> rows.rowCount() == 1);
    }

    private Uni<Result> apply(SqlConnection conn, DecodedEvent decoded, FoldOutcome outcome) {
        GenerationEvent event = decoded.data();
        Map<String, Object> columns = new LinkedHashMap<>();
        Stage stage;
        int stageAttempt;
        if (outcome instanceof FoldOutcome.Advance advance) {
            columns.put("status", advance.next().status().wire());
            columns.put("status_attempt", advance.next().attempt());
            columns.put("status_rank", advance.next().rank());
            stage = advance.stage();
            stageAttempt = advance.stageAttempt();
        } else if (outcome instanceof FoldOutcome.Annotate annotate) {
            stage = annotate.stage();
            stageAttempt = 0;
        } else {
            return Uni.createFrom().item(Result.STALE);
        }
        putEventFacts(event, columns);
        columns.put("updated_at", OffsetDateTime.now(clock));

        OffsetDateTime at = decoded.envelope().time() != null
                ? decoded.envelope().time().withOffsetSameInstant(ZoneOffset.UTC)
                : OffsetDateTime.now(clock);
        return update(conn, event.generationId(), columns)
                .chain(() -> conn.preparedQuery("""
                                INSERT INTO generation_timeline (generation_id, stage, attempt, at, event_id)
                                VALUES ($1, $2, $3, $4, $5)
                                ON CONFLICT (generation_id, stage, attempt) DO NOTHING""")
                        .execute(Tuple.of(event.generationId(), stage.wire(), stageAttempt, at,
                                decoded.envelope().id())))
                .chain(() -> GenerationChanges.announce(conn, event.generationId()))
                .replaceWith(Result.APPLIED);
    }

    /** The columns an event sets besides the status. */
    private static void putEventFacts(GenerationEvent event, Map<String, Object> c) {
        if (event instanceof GenerationDispatched e) {
            // A new attempt starts clean: the previous attempt's error no longer describes it.
            c.put("queue_position", null);
            if (e.spec() != null) {
                // A draft may run elsewhere than requested; the dispatched spec names where.
                c.put("ran_on_endpoint_id", e.spec().endpointId());
            }
            clearError(c);
        } else if (event instanceof GenerationSubmitted e) {
            c.put("fal_request_id", e.falRequestId());
            c.put("queue_position", null);
        } else if (event instanceof GenerationProgress e) {
            c.put("queue_position", "IN_QUEUE".equals(e.falStatus()) ? e.queuePosition() : null);
        } else if (event instanceof GenerationFailed e) {
            c.put("queue_position", null);
            error(c, e.errorType(), e.message(), e.retryable());
        } else if (event instanceof GenerationCompleted e) {
            c.put("fal_request_id", e.falRequestId());
            c.put("queue_position", null);
        } else if (event instanceof VideoArchived e) {
            c.put("video_object_key", e.objectKey());
            c.put("video_location", e.location());
            c.put("video_content_type", e.contentType());
            c.put("video_bytes", e.bytes());
            c.put("video_sha256", e.sha256());
            c.put("video_duration_ms", e.durationMillis());
            c.put("video_width", e.width());
            c.put("video_height", e.height());
            c.put("video_has_audio", e.hasAudio());
            clearError(c);
        } else if (event instanceof ArchiveFailed e) {
            error(c, e.reason(), e.message(), false);
        } else if (event instanceof GenerationCancelled e) {
            // Replicate's distinction: aborted before fal started (never billed) vs cancelled.
            c.put("queue_position", null);
            error(c, e.beforeStart() ? "aborted" : "cancelled", e.reason(), false);
        } else if (event instanceof GenerationAbandoned e) {
            c.put("queue_position", null);
            error(c, e.errorType(), "gave up after " + e.attempts() + " attempts"
                    + (e.message() == null ? "" : ": " + e.message()), false);
        } else if (event instanceof GenerationReserved e) {
            c.put("reserved_micros", e.amountMicros());
            c.put("reserved_price_book_version", e.priceBookVersion());
        } else if (event instanceof GenerationCancelRequested e) {
            c.put("cancel_requested_at", e.requestedAt() == null ? OffsetDateTime.now() : utc(e.requestedAt()));
        } else if (event instanceof GenerationRejected e) {
            error(c, e.reason(), e.message(), false);
        } else if (event instanceof GenerationBilled e) {
            c.put("cost_micros", e.amountMicros());
            c.put("cost_rate_micros_per_second", e.rateMicrosPerSecond());
            c.put("cost_billed_seconds", e.billedSeconds());
            c.put("cost_price_book_version", e.priceBookVersion());
        }
    }

    private static OffsetDateTime utc(java.time.Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static void error(Map<String, Object> c, String type, String message, boolean retryable) {
        c.put("error_type", type == null ? "unknown" : type);
        c.put("error_message", message);
        c.put("error_retryable", retryable);
    }

    private static void clearError(Map<String, Object> c) {
        c.put("error_type", null);
        c.put("error_message", null);
        c.put("error_retryable", null);
    }

    /** Column names come from this class only, never from input. */
    private static Uni<Void> update(SqlConnection conn, String id, Map<String, Object> columns) {
        StringBuilder sql = new StringBuilder("UPDATE generations SET ");
        List<Object> params = new ArrayList<>();
        params.add(id);
        for (Map.Entry<String, Object> column : columns.entrySet()) {
            params.add(column.getValue());
            if (params.size() > 2) {
                sql.append(", ");
            }
            sql.append(column.getKey()).append(" = $").append(params.size());
        }
        sql.append(" WHERE id = $1");
        return conn.preparedQuery(sql.toString()).execute(Tuple.from(params)).replaceWithVoid();
    }
}
