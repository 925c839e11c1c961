package ai.vidgen.request.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Videos deleted through {@code DELETE /v1/videos/{id}}: hidden from the OpenAI-style API. */
@ApplicationScoped
public class DeletedVideos {

    private final Pool pool;

    public DeletedVideos(Pool pool) {
        this.pool = pool;
    }

    public Uni<Void> delete(String tenantId, String id) {
        return pool.preparedQuery("INSERT INTO deleted_videos (tenant_id, id) VALUES ($1, $2) ON CONFLICT DO NOTHING")
                .execute(Tuple.of(tenantId, id)).replaceWithVoid();
    }

    public Uni<Set<String>> deleted(String tenantId, List<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return pool.preparedQuery("SELECT id FROM deleted_videos WHERE tenant_id = $1 AND id = ANY($2)")
                .execute(Tuple.of(tenantId, ids.toArray(new String[0])))
                .map(rows -> {
                    Set<String> out = new HashSet<>();
                    rows.forEach(r -> out.add(r.getString("id")));
                    return out;
                });
    }
}
