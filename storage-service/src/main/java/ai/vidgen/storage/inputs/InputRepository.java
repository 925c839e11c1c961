package ai.vidgen.storage.inputs;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Optional;

/** Access to {@code inputs} ({@code V3__inputs.sql}) through the reactive SQL client. */
@ApplicationScoped
public class InputRepository {

    private final Pool pool;

    public InputRepository(Pool pool) {
        this.pool = pool;
    }

    public Uni<Optional<StoredInput>> find(String id) {
        return pool.preparedQuery("""
                        select id, tenant_id, content_type, bytes, sha256, created_at from inputs where id = $1""")
                .execute(Tuple.of(id))
                .map(InputRepository::first);
    }

    /**
     * Records an input whose object is stored. Two uploads of the same bytes racing each other both
     * store the same object under the same key; this keeps the first row and answers it to both.
     */
    public Uni<StoredInput> record(String id, String tenantId, String objectKey, String contentType, long bytes,
            String sha256) {
        return pool.preparedQuery("""
                        insert into inputs (id, tenant_id, object_key, content_type, bytes, sha256)
                        values ($1, $2, $3, $4, $5, $6)
                        on conflict (id) do nothing""")
                .execute(Tuple.from(new Object[] {id, tenantId, objectKey, contentType, bytes, sha256}))
                .chain(inserted -> find(id))
                .map(row -> row.orElseThrow(() -> new IllegalStateException("input " + id + " vanished after insert")));
    }

    private static Optional<StoredInput> first(RowSet<Row> rows) {
        if (!rows.iterator().hasNext()) {
            return Optional.empty();
        }
        Row r = rows.iterator().next();
        return Optional.of(new StoredInput(r.getString("id"), r.getString("tenant_id"), r.getString("content_type"),
                r.getLong("bytes"), r.getString("sha256"), r.getOffsetDateTime("created_at").toInstant()));
    }
}
