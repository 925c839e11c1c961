package ai.vidgen.request.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.core.buffer.Buffer;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** Tenants and their API keys (hashes only). */
@ApplicationScoped
public class TenantRepository {

    /** A stored key, without any secret. */
    public record ApiKey(String id, String tenantId, byte[] sha256, String label, OffsetDateTime createdAt,
            OffsetDateTime revokedAt) {
    }

    private final Pool pool;

    public TenantRepository(Pool pool) {
        this.pool = pool;
    }

    /** Creates the tenant if needed and stores a key for it. */
    public Uni<ApiKey> addKey(String tenantId, String keyId, byte[] sha256, String label) {
        return pool.withTransaction(conn -> conn
                .preparedQuery("INSERT INTO tenants (id) VALUES ($1) ON CONFLICT (id) DO NOTHING")
                .execute(Tuple.of(tenantId))
                .chain(() -> conn.preparedQuery("""
                        INSERT INTO api_keys (id, tenant_id, key_sha256, label) VALUES ($1, $2, $3, $4)
                        RETURNING id, tenant_id, key_sha256, label, created_at, revoked_at""")
                        .execute(Tuple.of(keyId, tenantId, Buffer.buffer(sha256), label)))
                .map(rows -> map(rows.iterator().next())));
    }

    /** The key with this id, revoked or not. */
    public Uni<Optional<ApiKey>> key(String keyId) {
        return pool.preparedQuery("SELECT id, tenant_id, key_sha256, label, created_at, revoked_at FROM api_keys WHERE id = $1")
                .execute(Tuple.of(keyId))
                .map(rows -> rows.iterator().hasNext() ? Optional.of(map(rows.iterator().next())) : Optional.empty());
    }

    public Uni<List<ApiKey>> keys(String tenantId) {
        return pool.preparedQuery("""
                SELECT id, tenant_id, key_sha256, label, created_at, revoked_at FROM api_keys
                WHERE tenant_id = $1 ORDER BY created_at, id""")
                .execute(Tuple.of(tenantId))
                .map(rows -> {
                    List<ApiKey> out = new java.util.ArrayList<>();
                    rows.forEach(r -> out.add(map(r)));
                    return out;
                });
    }

    /** @return false when the tenant has no such key */
    public Uni<Boolean> revoke(String tenantId, String keyId) {
        return pool.preparedQuery("""
                UPDATE api_keys SET revoked_at = COALESCE(revoked_at, now()) WHERE tenant_id = $1 AND id = $2""")
                .execute(Tuple.of(tenantId, keyId))
                .map(rows -> rows.rowCount() > 0);
    }

    private static ApiKey map(Row r) {
        return new ApiKey(r.getString("id"), r.getString("tenant_id"), r.getBuffer("key_sha256").getBytes(),
                r.getString("label"), r.getOffsetDateTime("created_at"), r.getOffsetDateTime("revoked_at"));
    }
}
