package ai.vidgen.billing.persistence;

import ai.vidgen.billing.domain.AudioMode;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

@ApplicationScoped
public class PriceBookRepository {

    /** A per-second rate and the price book version it came from. */
    public record Rate(String version, long microsPerSecond) {
    }

    /** One version with its rates. */
    public record Version(String version, Instant effectiveFrom, String source, Instant createdAt,
            List<VersionRate> rates) {
    }

    public record VersionRate(String modelFamily, String tier, String audioMode, long microsPerSecond) {
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

    /** The rate of one named version, wherever its effective date lies. */
    public Uni<Optional<Long>> rateOf(SqlClient client, String version, String family, String tier, AudioMode mode) {
        return client.preparedQuery("SELECT micros_per_second FROM price_rates WHERE version = $1 "
                        + "AND model_family = $2 AND tier = $3 AND audio_mode = $4")
                .execute(Tuple.of(version, family, tier, mode.name()))
                .map(rows -> rows.size() == 0 ? Optional.empty()
                        : Optional.of(rows.iterator().next().getLong("micros_per_second")));
    }

    /** Every version, oldest first, with its rates. */
    public Uni<List<Version>> versions(SqlClient client) {
        return client.query("""
                SELECT b.version, b.effective_from, b.source, b.created_at,
                       r.model_family, r.tier, r.audio_mode, r.micros_per_second
                FROM price_books b LEFT JOIN price_rates r ON r.version = b.version
                ORDER BY b.effective_from, r.model_family, r.tier, r.audio_mode
                """).execute().map(rows -> {
            Map<String, Version> byVersion = new LinkedHashMap<>();
            rows.forEach(row -> {
                Version v = byVersion.computeIfAbsent(row.getString("version"), k -> new Version(k,
                        row.getOffsetDateTime("effective_from").toInstant(), row.getString("source"),
                        row.getOffsetDateTime("created_at").toInstant(), new ArrayList<>()));
                if (row.getString("model_family") != null) {
                    v.rates().add(new VersionRate(row.getString("model_family"), row.getString("tier"),
                            row.getString("audio_mode"), row.getLong("micros_per_second")));
                }
            });
            return List.copyOf(byVersion.values());
        });
    }

    /** The latest effective date of any version. */
    public Uni<Optional<Instant>> latestEffectiveFrom(SqlClient client) {
        return client.query("SELECT max(effective_from) AS latest FROM price_books").execute()
                .map(rows -> Optional.ofNullable(rows.iterator().next().getOffsetDateTime("latest"))
                        .map(OffsetDateTime::toInstant));
    }

    /** Serialises additions of versions (a transaction-scoped advisory lock). */
    public Uni<Void> lockForAddition(SqlClient tx) {
        return tx.query("SELECT pg_advisory_xact_lock(hashtext('price_books'))").execute().replaceWithVoid();
    }

    /**
     * Adds a version; an existing version is never changed.
     *
     * @return false when the version name or its effective date is taken
     */
    public Uni<Boolean> insert(SqlClient tx, String version, Instant effectiveFrom, String source,
            List<VersionRate> rates) {
        return tx.preparedQuery("INSERT INTO price_books (version, effective_from, source) VALUES ($1, $2, $3) "
                        + "ON CONFLICT DO NOTHING")
                .execute(Tuple.of(version, effectiveFrom.atOffset(ZoneOffset.UTC), source))
                .flatMap(result -> result.rowCount() == 0 ? Uni.createFrom().item(false)
                        : tx.preparedQuery("INSERT INTO price_rates (version, model_family, tier, audio_mode, "
                                        + "micros_per_second) VALUES ($1, $2, $3, $4, $5)")
                                .executeBatch(rates.stream().map(r -> Tuple.of(version, r.modelFamily(), r.tier(),
                                        r.audioMode(), r.microsPerSecond())).toList())
                                .map(ignored -> true));
    }
}
