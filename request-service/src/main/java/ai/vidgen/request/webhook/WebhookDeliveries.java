package ai.vidgen.request.webhook;

import ai.vidgen.request.api.GenerationViews;
import ai.vidgen.request.persistence.GenerationRow;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** The webhook_deliveries and webhook_secrets tables. */
@ApplicationScoped
public class WebhookDeliveries {

    /** A claimed delivery, as the worker needs it. */
    public record Delivery(String id, String generationId, String tenantId, String url, String eventType,
            String payload, int attempts) {
    }

    private final Pool pool;
    private final ObjectMapper mapper;
    private final GenerationViews views;

    public WebhookDeliveries(Pool pool, ObjectMapper mapper, GenerationViews views) {
        this.pool = pool;
        this.mapper = mapper;
        this.views = views;
    }

    /**
     * Queues the terminal callback of {@code g} on the caller's transaction. The id (the
     * webhook-id header) is stable per generation and outcome, so a receiver can deduplicate, and
     * a refold of the same outcome queues nothing twice.
     */
    public Uni<Void> enqueue(SqlConnection conn, GenerationRow g) {
        String type = "generation." + g.status().wire();
        String id = "msg_" + g.id() + "_" + g.status().wire();
        ObjectNode body = mapper.createObjectNode();
        body.put("type", type);
        body.put("timestamp", Instant.now().toString());
        body.set("data", mapper.valueToTree(views.callback(g)));
        return conn.preparedQuery("""
                        INSERT INTO webhook_deliveries (id, generation_id, tenant_id, url, event_type, payload, next_attempt_at)
                        VALUES ($1, $2, $3, $4, $5, $6, now()) ON CONFLICT DO NOTHING""")
                .execute(Tuple.of(id, g.id(), g.tenantId(), g.callbackUrl(), type, body.toString()))
                .replaceWithVoid();
    }

    /**
     * Claims up to {@code limit} due deliveries for {@code lease}: a crashed worker's claims run
     * out and are taken again, and two instances never send the same delivery at once.
     */
    public Uni<List<Delivery>> claimDue(int limit, Duration lease) {
        return pool.preparedQuery("""
                        UPDATE webhook_deliveries SET locked_until = now() + make_interval(secs => $2)
                        WHERE id IN (SELECT id FROM webhook_deliveries
                                     WHERE state = 'pending' AND next_attempt_at <= now()
                                       AND (locked_until IS NULL OR locked_until < now())
                                     ORDER BY next_attempt_at LIMIT $1 FOR UPDATE SKIP LOCKED)
                        RETURNING id, generation_id, tenant_id, url, event_type, payload, attempts""")
                .execute(Tuple.of(limit, (double) lease.toMillis() / 1000))
                .map(rows -> {
                    List<Delivery> list = new ArrayList<>();
                    for (Row r : rows) {
                        list.add(new Delivery(r.getString("id"), r.getString("generation_id"), r.getString("tenant_id"),
                                r.getString("url"), r.getString("event_type"), r.getString("payload"),
                                r.getInteger("attempts")));
                    }
                    return list;
                });
    }

    public Uni<Void> delivered(String id, int status) {
        return pool.preparedQuery("""
                        UPDATE webhook_deliveries SET state = 'delivered', attempts = attempts + 1, last_status = $2,
                            last_error = NULL, delivered_at = now(), locked_until = NULL WHERE id = $1""")
                .execute(Tuple.of(id, status)).replaceWithVoid();
    }

    /** Records a failed attempt: another one at {@code next}, or none when {@code next} is empty. */
    public Uni<Void> attemptFailed(String id, Integer status, String error, Optional<Instant> next) {
        return pool.preparedQuery("""
                        UPDATE webhook_deliveries SET attempts = attempts + 1, last_status = $2, last_error = $3,
                            state = CASE WHEN $4::timestamptz IS NULL THEN 'failed' ELSE 'pending' END,
                            next_attempt_at = COALESCE($4::timestamptz, next_attempt_at), locked_until = NULL
                        WHERE id = $1""")
                .execute(Tuple.of(id, status, error, next.map(t -> t.atOffset(ZoneOffset.UTC)).orElse(null)))
                .replaceWithVoid();
    }

    /** The tenant's signing secret, created on first use. */
    public Uni<String> secret(String tenantId) {
        return pool.preparedQuery("""
                        INSERT INTO webhook_secrets (tenant_id, secret) VALUES ($1, $2)
                        ON CONFLICT (tenant_id) DO NOTHING""")
                .execute(Tuple.of(tenantId, WebhookSigner.newSecret()))
                .chain(() -> pool.preparedQuery("SELECT secret FROM webhook_secrets WHERE tenant_id = $1")
                        .execute(Tuple.of(tenantId)))
                .map(rows -> rows.iterator().next().getString("secret"));
    }

    /** Replaces the tenant's secret; deliveries from now on are signed with the new one. */
    public Uni<String> rotateSecret(String tenantId) {
        String secret = WebhookSigner.newSecret();
        return pool.preparedQuery("""
                        INSERT INTO webhook_secrets (tenant_id, secret) VALUES ($1, $2)
                        ON CONFLICT (tenant_id) DO UPDATE SET secret = EXCLUDED.secret, created_at = now()""")
                .execute(Tuple.of(tenantId, secret)).replaceWith(secret);
    }

    /** A delivery's state, for the API and tests. */
    public record State(String state, int attempts, Integer lastStatus, String lastError, OffsetDateTime deliveredAt) {
    }

    public Uni<Optional<State>> state(String tenantId, String generationId) {
        return pool.preparedQuery("""
                        SELECT state, attempts, last_status, last_error, delivered_at FROM webhook_deliveries
                        WHERE tenant_id = $1 AND generation_id = $2 ORDER BY created_at DESC LIMIT 1""")
                .execute(Tuple.of(tenantId, generationId))
                .map(rows -> rows.size() == 0 ? Optional.empty() : Optional.of(rows.iterator().next()).map(r ->
                        new State(r.getString("state"), r.getInteger("attempts"), r.getInteger("last_status"),
                                r.getString("last_error"), r.getOffsetDateTime("delivered_at"))));
    }
}
