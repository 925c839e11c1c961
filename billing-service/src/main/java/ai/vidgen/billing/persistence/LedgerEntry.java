package ai.vidgen.billing.persistence;

import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.domain.LossCause;
import ai.vidgen.billing.domain.Quote;
import io.vertx.mutiny.sqlclient.Row;
import java.time.Instant;

/** One row of the append-only ledger; {@code lossCause} is set on {@code FAL_LOSS} rows only. */
public record LedgerEntry(
        String generationId,
        String tenantId,
        LedgerKind kind,
        Quote quote,
        String sourceEventId,
        String reason,
        Instant createdAt,
        LossCause lossCause) {

    public long amountMicros() {
        return quote.amountMicros();
    }

    static LedgerEntry from(Row row) {
        Quote quote = new Quote(row.getString("endpoint_id"), row.getString("model_family"), row.getString("tier"),
                row.getBoolean("audio"), row.getBoolean("voice_control"), row.getInteger("seconds"),
                row.getLong("rate_micros_per_second"), row.getLong("amount_micros"),
                row.getString("price_book_version"));
        return new LedgerEntry(row.getString("generation_id"), row.getString("tenant_id"),
                LedgerKind.valueOf(row.getString("kind")), quote, row.getString("source_event_id"),
                row.getString("reason"), row.getOffsetDateTime("created_at").toInstant(),
                row.getString("loss_cause") == null ? null : LossCause.valueOf(row.getString("loss_cause")));
    }
}
