package ai.vidgen.request.persistence;

import ai.vidgen.events.envelope.CloudEvent;
import ai.vidgen.platform.outbox.Outbox;
import ai.vidgen.request.domain.Estimate;
import ai.vidgen.request.domain.GenerationStatus;
import ai.vidgen.request.domain.Priority;
import ai.vidgen.request.domain.Progression;
import ai.vidgen.request.domain.Stage;
import ai.vidgen.request.domain.ValidatedRequest;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import io.vertx.pgclient.PgException;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The generations table: accepting a request (with its outbox event) and reading it back. */
@ApplicationScoped
public class GenerationRepository {

    static final String COLUMNS = """
            id, tenant_id, endpoint_id, input::text AS input, spec_seconds, spec_audio, spec_voice_control,
            priority, deadline, metadata::text AS metadata, idempotency_key, request_hash,
            estimate_micros, estimate_rate_micros_per_second, estimate_seconds, estimate_price_book_version,
            status, status_attempt, fal_request_id, queue_position,
            cost_micros, cost_rate_micros_per_second, cost_billed_seconds, cost_price_book_version,
            video_object_key, video_location, video_content_type, video_bytes, video_sha256, video_duration_ms,
            video_width, video_height, video_has_audio, error_type, error_message, error_retryable,
            created_at, updated_at, draft, ran_on_endpoint_id, callback_url, cancel_requested_at,
            reserved_micros, reserved_price_book_version""";

    private static final String IDEMPOTENCY_CONSTRAINT = "generations_idempotency";
    private static final TypeReference<Map<String, String>> STRING_MAP = new TypeReference<>() {
    };

    private final Pool pool;
    private final ObjectMapper mapper;
    private final Outbox outbox;

    public GenerationRepository(Pool pool, ObjectMapper mapper, Outbox outbox) {
        this.pool = pool;
        this.mapper = mapper;
        this.outbox = outbox;
    }

    /** What became of an insert. */
    public sealed interface InsertOutcome {
        record Inserted() implements InsertOutcome {
        }

        /** Another request with the same tenant and idempotency key got there first. */
        record KeyTaken(GenerationRow existing) implements InsertOutcome {
        }
    }

    /**
     * Writes the generation, its first timeline entry and its GenerationRequested outbox row in one
     * transaction: either the request is accepted and its event will be published, or neither.
     */
    public Uni<InsertOutcome> insertAccepted(NewGeneration g) {
        ValidatedRequest r = g.request();
        Estimate e = g.estimate();
        OffsetDateTime at = utc(g.acceptedAt());
        Tuple row = Tuple.from(Arrays.asList(
                g.id(), g.tenantId(), r.endpoint().id(), json(r.input()), r.spec().seconds(), r.spec().audio(),
                r.spec().voiceControl(), r.priority().wire(), r.deadline() == null ? null : utc(r.deadline()),
                json(r.metadata()), g.idempotencyKey(), g.requestHash(),
                e == null ? null : e.amountMicros(), e == null ? null : e.rateMicrosPerSecond(),
                e == null ? null : e.seconds(), e == null ? null : e.priceBookVersion(),
                GenerationStatus.QUEUED.wire(), Progression.accepted().attempt(), Progression.accepted().rank(),
                at, at, r.draft(), r.callbackUrl()));
        Uni<InsertOutcome> insert = pool.withTransaction(conn -> conn.preparedQuery("""
                        INSERT INTO generations (id, tenant_id, endpoint_id, input, spec_seconds, spec_audio,
                            spec_voice_control, priority, deadline, metadata, idempotency_key, request_hash,
                            estimate_micros, estimate_rate_micros_per_second, estimate_seconds,
                            estimate_price_book_version, status, status_attempt, status_rank, created_at, updated_at,
                            draft, callback_url)
                        VALUES ($1, $2, $3, $4::text::jsonb, $5, $6, $7, $8, $9, $10::text::jsonb, $11, $12, $13, $14, $15, $16,
                            $17, $18, $19, $20, $21, $22, $23)""")
                .execute(row)
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO generation_timeline (generation_id, stage, attempt, at, event_id)
                        VALUES ($1, $2, 0, $3, $4)""")
                        .execute(Tuple.of(g.id(), Stage.REQUESTED.wire(), at, g.event().id())))
                .chain(() -> outbox.appendEnvelopes(conn, List.of(g.event())))
                .replaceWith(new InsertOutcome.Inserted()));
        return insert.onFailure(GenerationRepository::isIdempotencyRace).recoverWithUni(() ->
                findByIdempotencyKey(g.tenantId(), g.idempotencyKey()).map(existing -> new InsertOutcome.KeyTaken(
                        existing.orElseThrow(() -> new IllegalStateException("idempotency key vanished")))));
    }

    public Uni<Optional<GenerationRow>> findByIdempotencyKey(String tenantId, String key) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM generations WHERE tenant_id = $1 AND idempotency_key = $2")
                .execute(Tuple.of(tenantId, key))
                .map(this::first);
    }

    /** The tenant's generation, or empty when it does not exist or belongs to another tenant. */
    public Uni<Optional<GenerationRow>> find(String tenantId, String id) {
        return pool.preparedQuery("SELECT " + COLUMNS + " FROM generations WHERE id = $1 AND tenant_id = $2")
                .execute(Tuple.of(id, tenantId))
                .map(this::first);
    }

    /** A page of the tenant's generations, newest first, after {@code cursor} when given. */
    public Uni<List<GenerationRow>> list(String tenantId, GenerationStatus status, PageCursor cursor, int limit) {
        StringBuilder sql = new StringBuilder("SELECT " + COLUMNS + " FROM generations WHERE tenant_id = $1");
        List<Object> params = new ArrayList<>(List.of(tenantId));
        if (status != null) {
            params.add(status.wire());
            sql.append(" AND status = $").append(params.size());
        }
        if (cursor != null) {
            params.add(utc(cursor.createdAt()));
            params.add(cursor.id());
            sql.append(" AND (created_at, id) < ($").append(params.size() - 1).append(", $").append(params.size())
                    .append(")");
        }
        params.add((long) limit);
        sql.append(" ORDER BY created_at DESC, id DESC LIMIT $").append(params.size());
        return pool.preparedQuery(sql.toString()).execute(Tuple.from(params)).map(rows -> {
            List<GenerationRow> page = new ArrayList<>();
            rows.forEach(r -> page.add(map(r)));
            return page;
        });
    }

    /** The timelines of the given generations, each in the order the stages happened. */
    public Uni<Map<String, List<TimelineEntry>>> timelines(List<String> generationIds) {
        if (generationIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return pool.preparedQuery("""
                        SELECT generation_id, stage, attempt, at FROM generation_timeline
                        WHERE generation_id = ANY($1) ORDER BY at, seq""")
                .execute(Tuple.of(generationIds.toArray(String[]::new)))
                .map(rows -> {
                    Map<String, List<TimelineEntry>> byId = new LinkedHashMap<>();
                    generationIds.forEach(id -> byId.put(id, new ArrayList<>()));
                    rows.forEach(r -> byId.get(r.getString("generation_id")).add(new TimelineEntry(
                            r.getString("stage"), r.getInteger("attempt"), r.getOffsetDateTime("at").toInstant())));
                    return byId;
                });
    }

    private Optional<GenerationRow> first(RowSet<Row> rows) {
        return rows.size() == 0 ? Optional.empty() : Optional.of(map(rows.iterator().next()));
    }

    GenerationRow map(Row r) {
        Long estimateMicros = r.getLong("estimate_micros");
        Long costMicros = r.getLong("cost_micros");
        String objectKey = r.getString("video_object_key");
        String errorType = r.getString("error_type");
        return new GenerationRow(
                r.getString("id"),
                r.getString("tenant_id"),
                r.getString("endpoint_id"),
                parse(r.getString("input")),
                r.getInteger("spec_seconds"),
                r.getBoolean("spec_audio"),
                r.getBoolean("spec_voice_control"),
                Priority.fromWire(r.getString("priority")).orElseThrow(),
                instant(r.getOffsetDateTime("deadline")),
                parseMap(r.getString("metadata")),
                r.getString("idempotency_key"),
                r.getString("request_hash"),
                estimateMicros == null ? null : new Estimate(estimateMicros,
                        r.getLong("estimate_rate_micros_per_second"), r.getInteger("estimate_seconds"),
                        r.getString("estimate_price_book_version")),
                GenerationStatus.fromWire(r.getString("status")).orElseThrow(),
                r.getInteger("status_attempt"),
                r.getString("fal_request_id"),
                r.getInteger("queue_position"),
                costMicros == null ? null : new GenerationRow.Cost(costMicros, r.getLong("cost_rate_micros_per_second"),
                        r.getInteger("cost_billed_seconds"), r.getString("cost_price_book_version")),
                objectKey == null ? null : new GenerationRow.Video(objectKey, r.getString("video_location"),
                        r.getString("video_content_type"), r.getLong("video_bytes"), r.getString("video_sha256"),
                        r.getLong("video_duration_ms"), r.getInteger("video_width"), r.getInteger("video_height"),
                        r.getBoolean("video_has_audio")),
                errorType == null ? null : new GenerationRow.Error(errorType, r.getString("error_message"),
                        r.getBoolean("error_retryable")),
                instant(r.getOffsetDateTime("created_at")),
                instant(r.getOffsetDateTime("updated_at")),
                Boolean.TRUE.equals(r.getBoolean("draft")),
                r.getString("ran_on_endpoint_id"),
                r.getString("callback_url"),
                instant(r.getOffsetDateTime("cancel_requested_at")),
                r.getLong("reserved_micros"),
                r.getString("reserved_price_book_version"));
    }

    /** What became of a cancel request. */
    public enum CancelOutcome {
        /** Recorded now: the GenerationCancelRequested event is in the outbox. */
        REQUESTED,
        /** Asked before and still pending: nothing new to publish. */
        ALREADY_REQUESTED,
        /** Missing, or another tenant's. */
        NOT_FOUND,
        /** Already ended: there is nothing left to cancel. */
        TERMINAL
    }

    /**
     * Records a cancel request and its GenerationCancelRequested outbox row in one transaction,
     * under the generation's row lock so that a concurrent terminal fold and a repeated request are
     * decided one at a time. The status does not change: the outcome event decides it.
     */
    public Uni<CancelOutcome> requestCancel(String tenantId, String id, Instant requestedAt, CloudEvent event) {
        OffsetDateTime at = utc(requestedAt);
        return pool.withTransaction(conn -> conn.preparedQuery("""
                        SELECT status, cancel_requested_at FROM generations
                        WHERE id = $1 AND tenant_id = $2 FOR UPDATE""")
                .execute(Tuple.of(id, tenantId))
                .chain(rows -> {
                    if (rows.size() == 0) {
                        return Uni.createFrom().item(CancelOutcome.NOT_FOUND);
                    }
                    Row row = rows.iterator().next();
                    if (GenerationStatus.fromWire(row.getString("status")).orElseThrow().terminal()) {
                        return Uni.createFrom().item(CancelOutcome.TERMINAL);
                    }
                    if (row.getOffsetDateTime("cancel_requested_at") != null) {
                        return Uni.createFrom().item(CancelOutcome.ALREADY_REQUESTED);
                    }
                    return conn.preparedQuery("UPDATE generations SET cancel_requested_at = $2, updated_at = $2 WHERE id = $1")
                            .execute(Tuple.of(id, at))
                            .chain(() -> conn.preparedQuery("""
                                    INSERT INTO generation_timeline (generation_id, stage, attempt, at, event_id)
                                    VALUES ($1, $2, 0, $3, $4) ON CONFLICT (generation_id, stage, attempt) DO NOTHING""")
                                    .execute(Tuple.of(id, Stage.CANCEL_REQUESTED.wire(), at, event.id())))
                            .chain(() -> GenerationChanges.announce(conn, id))
                            .chain(() -> outbox.appendEnvelopes(conn, List.of(event)))
                            .replaceWith(CancelOutcome.REQUESTED);
                }));
    }

    private static boolean isIdempotencyRace(Throwable failure) {
        return failure instanceof PgException pg && "23505".equals(pg.getSqlState())
                && IDEMPOTENCY_CONSTRAINT.equals(pg.getConstraint());
    }

    private String json(Object value) {
        try {
            return mapper.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write JSON column", e);
        }
    }

    private JsonNode parse(String json) {
        try {
            return mapper.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt JSON column", e);
        }
    }

    private Map<String, String> parseMap(String json) {
        try {
            return mapper.readValue(json, STRING_MAP);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("corrupt metadata column", e);
        }
    }

    static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    static Instant instant(OffsetDateTime time) {
        return time == null ? null : time.toInstant();
    }
}
