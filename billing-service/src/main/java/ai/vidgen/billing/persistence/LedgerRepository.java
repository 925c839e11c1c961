package ai.vidgen.billing.persistence;

import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.domain.LossCause;
import ai.vidgen.billing.domain.Quote;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The ledger's SQL. Billing speaks SQL directly through the reactive PostgreSQL client (the
 * driver under Hibernate Reactive): an append-only ledger is defined by its constraints,
 * {@code ON CONFLICT DO NOTHING}, row locks and aggregates, and those read best as SQL.
 */
@ApplicationScoped
public class LedgerRepository {

    /** The first key of the per-generation advisory locks. */
    private static final int GENERATION_LOCKS = 1;

    private static final String COLUMNS = "generation_id, tenant_id, kind, amount_micros, seconds, "
            + "rate_micros_per_second, endpoint_id, model_family, tier, audio, voice_control, price_book_version, "
            + "source_event_id, reason, created_at, loss_cause";

    /**
     * Holds the generation's lock until the caller's transaction ends. A reservation and the end
     * of its generation each read what the other writes (the RESERVE row, the ended mark), so
     * under read committed they must not run side by side, or each could miss the other. The
     * two-key form keeps these locks apart from the single-key ones (the price book's); two
     * generations whose ids hash alike only wait for each other.
     */
    public Uni<Void> lockGeneration(SqlClient tx, String generationId) {
        return tx.preparedQuery("SELECT pg_advisory_xact_lock(" + GENERATION_LOCKS + ", hashtext($1))")
                .execute(Tuple.of(generationId))
                .replaceWithVoid();
    }

    public Uni<Optional<LedgerEntry>> find(SqlClient client, String generationId, LedgerKind kind) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM ledger_entries WHERE generation_id = $1 AND kind = $2")
                .execute(Tuple.of(generationId, kind.name()))
                .map(rows -> rows.size() == 0 ? Optional.<LedgerEntry>empty()
                        : Optional.of(LedgerEntry.from(rows.iterator().next())));
    }

    public Uni<List<LedgerEntry>> forGeneration(SqlClient client, String generationId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM ledger_entries WHERE generation_id = $1 ORDER BY id")
                .execute(Tuple.of(generationId))
                .map(LedgerRepository::entries);
    }

    public Uni<List<LedgerEntry>> forTenant(SqlClient client, String tenantId, int limit) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM ledger_entries WHERE tenant_id = $1 ORDER BY id LIMIT $2")
                .execute(Tuple.of(tenantId, limit))
                .map(LedgerRepository::entries);
    }

    /**
     * Appends an entry unless the generation already has one of this kind, or, for a SETTLE or a
     * RELEASE, already has either (index {@code ledger_one_outcome}: one money outcome).
     *
     * @param at when the fact happened (the CloudEvent time of the event behind it), so that a
     *           replay into a fresh database dates the row as the original; null means now
     * @return true when this call wrote the row; false when it existed (a redelivery) or the
     *         generation has the other outcome
     */
    public Uni<Boolean> append(SqlClient client, String generationId, String tenantId, LedgerKind kind, Quote quote,
            String sourceEventId, String reason, Instant at) {
        return insert(client, generationId, tenantId, kind, quote, sourceEventId, reason, at, null);
    }

    /** Appends the generation's {@code FAL_LOSS} row unless it has one; true when this call wrote it. */
    public Uni<Boolean> appendLoss(SqlClient client, String generationId, String tenantId, LossCause cause,
            Quote falCost, String sourceEventId, String reason, Instant at) {
        return insert(client, generationId, tenantId, LedgerKind.FAL_LOSS, falCost, sourceEventId, reason, at, cause);
    }

    /** The generation's money outcome (its SETTLE or its RELEASE), if it has one. */
    public Uni<Optional<LedgerEntry>> outcome(SqlClient client, String generationId) {
        return client.preparedQuery("SELECT " + COLUMNS + " FROM ledger_entries WHERE generation_id = $1 "
                        + "AND kind IN ('SETTLE', 'RELEASE')")
                .execute(Tuple.of(generationId))
                .map(rows -> rows.size() == 0 ? Optional.<LedgerEntry>empty()
                        : Optional.of(LedgerEntry.from(rows.iterator().next())));
    }

    private Uni<Boolean> insert(SqlClient client, String generationId, String tenantId, LedgerKind kind, Quote quote,
            String sourceEventId, String reason, Instant at, LossCause cause) {
        // No conflict target: a clash with either unique index (one row per kind, one outcome)
        // means the fact is already recorded, and nothing is written.
        return client.preparedQuery("INSERT INTO ledger_entries (generation_id, tenant_id, kind, amount_micros, seconds, "
                + "rate_micros_per_second, endpoint_id, model_family, tier, audio, voice_control, price_book_version, "
                + "source_event_id, reason, created_at, loss_cause) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, "
                + "$12, $13, $14, COALESCE($15::timestamptz, now()), $16) ON CONFLICT DO NOTHING")
                .execute(Tuple.from(Arrays.asList(generationId, tenantId, kind.name(), quote.amountMicros(), quote.seconds(),
                        quote.rateMicrosPerSecond(), quote.endpointId(), quote.modelFamily(), quote.tier(), quote.audio(),
                        quote.voiceControl(), quote.priceBookVersion(), sourceEventId, reason,
                        at == null ? null : at.atOffset(ZoneOffset.UTC), cause == null ? null : cause.name())))
                .map(result -> result.rowCount() == 1);
    }

    /**
     * Appends an admin's correction (a signed amount, with the generation's dimensions, zero
     * seconds) unless one with this correction id exists.
     *
     * @param at when the operator made it; the row, and a rebuild of it from the topic, carry it
     * @return the correction row with this id (the one written now, or the earlier one), and
     *         whether this call wrote it
     */
    public Uni<java.util.Map.Entry<LedgerEntry, Boolean>> appendCorrection(SqlClient client, String correctionId, LedgerEntry of, long amountMicros,
            String reason, Instant at) {
        Quote q = of.quote();
        return client.preparedQuery("INSERT INTO ledger_entries (generation_id, tenant_id, kind, amount_micros, seconds, "
                + "rate_micros_per_second, endpoint_id, model_family, tier, audio, voice_control, price_book_version, "
                + "source_event_id, reason, created_at) VALUES ($1, $2, 'CORRECTION', $3, 0, 0, $4, $5, $6, $7, $8, $9, $10, "
                + "$11, $12) ON CONFLICT (source_event_id) WHERE kind = 'CORRECTION' DO NOTHING")
                .execute(Tuple.from(Arrays.asList(of.generationId(), of.tenantId(), amountMicros, q.endpointId(),
                        q.modelFamily(), q.tier(), q.audio(), q.voiceControl(), q.priceBookVersion(), correctionId, reason,
                        at.atOffset(ZoneOffset.UTC))))
                .flatMap(inserted -> client.preparedQuery("SELECT " + COLUMNS
                                + " FROM ledger_entries WHERE kind = 'CORRECTION' AND source_event_id = $1")
                        .execute(Tuple.of(correctionId))
                        .map(rows -> java.util.Map.entry(LedgerEntry.from(rows.iterator().next()), inserted.rowCount() == 1)));
    }

    /**
     * What the tenant has committed since {@code from}: for each generation reserved in the period,
     * its charge once settled, nothing once released, otherwise its reservation; plus corrections.
     * Enforcement and reporting both read this, so they cannot drift apart.
     */
    public Uni<Long> committedSince(SqlClient client, String tenantId, Instant from) {
        return client.preparedQuery("""
                SELECT COALESCE(SUM(CASE WHEN s.generation_id IS NOT NULL THEN s.amount_micros
                                         WHEN rl.generation_id IS NOT NULL THEN 0
                                         ELSE r.amount_micros END), 0)
                     + COALESCE((SELECT SUM(c.amount_micros) FROM ledger_entries c
                                 WHERE c.tenant_id = $1 AND c.kind = 'CORRECTION' AND c.created_at >= $2), 0) AS committed
                FROM ledger_entries r
                LEFT JOIN ledger_entries s ON s.generation_id = r.generation_id AND s.kind = 'SETTLE'
                LEFT JOIN ledger_entries rl ON rl.generation_id = r.generation_id AND rl.kind = 'RELEASE'
                WHERE r.tenant_id = $1 AND r.kind = 'RESERVE' AND r.created_at >= $2
                """)
                .execute(Tuple.of(tenantId, from.atOffset(ZoneOffset.UTC)))
                .map(rows -> rows.iterator().next().getLong("committed"));
    }

    private static List<LedgerEntry> entries(Iterable<Row> rows) {
        List<LedgerEntry> entries = new ArrayList<>();
        rows.forEach(row -> entries.add(LedgerEntry.from(row)));
        return entries;
    }
}
