package ai.vidgen.billing.persistence;

import ai.vidgen.billing.domain.AudioMode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Optional;

@ApplicationScoped
public class PriceBookRepository {

    /** A per-second rate and the price book version it came from. */
    public record Rate(String version, long microsPerSecond) {
    }

    /** The version in effect at {@code at}, whether or not it prices this combination. */
    public Uni<Optional<String>> versionInEffect(SqlClient client, Instant at) {
        return client.preparedQuery("SELECT version FROM price_books WHERE effective_from <= $1 "
                        + "ORDER BY effective_from DESC LIMIT 1")
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getString("version")));
    }

    /**
     * The rate of the version in effect at {@code at}. An older version's rate is never used as a
     * fallback: a combination the current book leaves out has no price.
     */
    public Uni<Optional<Rate>> rateAt(SqlClient client, Instant at, String family, String tier, AudioMode mode) {
        return client.preparedQuery("""
                SELECT r.version, r.micros_per_second FROM price_rates r
                WHERE r.version = (SELECT version FROM price_books WHERE effective_from <= $1
                                   ORDER BY effective_from DESC LIMIT 1)
                  AND r.model_family = $2 AND r.tier = $3 AND r.audio_mode = $4
                """)
                .execute(Tuple.of(at.atOffset(ZoneOffset.UTC), family, tier, mode.name()))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(new Rate(rows.iterator().next().getString("version"),
                                rows.iterator().next().getLong("micros_per_second"))));
    }
}
