package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.Money;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import java.time.Instant;
import java.util.List;

@Path("/v1/ledger")
public class LedgerResource {

    public record Entry(String generationId, String tenantId, String kind, long amountMicros, String amount,
            int seconds, long rateMicrosPerSecond, String endpointId, String modelFamily, String tier, boolean audio,
            boolean voiceControl, String priceBookVersion, String reason, Instant createdAt) {

        static Entry of(LedgerEntry e) {
            var q = e.quote();
            return new Entry(e.generationId(), e.tenantId(), e.kind().name(), q.amountMicros(),
                    Money.decimal(q.amountMicros()).toPlainString(), q.seconds(), q.rateMicrosPerSecond(),
                    q.endpointId(), q.modelFamily(), q.tier(), q.audio(), q.voiceControl(), q.priceBookVersion(),
                    e.reason(), e.createdAt());
        }
    }

    private final Pool pool;
    private final LedgerRepository ledger;

    public LedgerResource(Pool pool, LedgerRepository ledger) {
        this.pool = pool;
        this.ledger = ledger;
    }

    /** The ledger rows of one generation, or of one tenant (oldest first). */
    @GET
    public Uni<List<Entry>> entries(@QueryParam("generationId") String generationId,
            @QueryParam("tenantId") String tenantId, @QueryParam("limit") @DefaultValue("500") int limit) {
        Uni<List<LedgerEntry>> rows;
        if (generationId != null) {
            rows = ledger.forGeneration(pool, generationId);
        } else if (tenantId != null) {
            rows = ledger.forTenant(pool, tenantId, Math.min(Math.max(limit, 1), 5000));
        } else {
            throw new BadRequestException("generationId or tenantId is required");
        }
        return rows.map(list -> list.stream().map(Entry::of).toList());
    }
}
