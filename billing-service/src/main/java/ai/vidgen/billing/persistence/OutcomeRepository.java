package ai.vidgen.billing.persistence;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.Arrays;

/** Deduplicates attempt outcomes (completed or failed at fal) for the performance metrics. */
@ApplicationScoped
public class OutcomeRepository {

    /** @return true when this call recorded the attempt's outcome; false on a redelivery */
    public Uni<Boolean> record(SqlClient client, String generationId, int attempt, String endpointId, String outcome,
            Long inferenceMillis) {
        return client.preparedQuery("INSERT INTO generation_outcomes (generation_id, attempt, endpoint_id, outcome, "
                        + "inference_millis) VALUES ($1, $2, $3, $4, $5) ON CONFLICT (generation_id, attempt) DO NOTHING")
                .execute(Tuple.from(Arrays.asList(generationId, attempt, endpointId, outcome, inferenceMillis)))
                .map(result -> result.rowCount() == 1);
    }

    /** Whether fal completed an attempt of the generation: its render exists and fal charged for it. */
    public Uni<Boolean> completed(SqlClient client, String generationId) {
        return client.preparedQuery("SELECT 1 FROM generation_outcomes WHERE generation_id = $1 AND outcome = 'COMPLETED'")
                .execute(Tuple.of(generationId))
                .map(rows -> rows.size() > 0);
    }
}
