package ai.vidgen.billing.service;

import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.util.List;

/** Reads of the ledger's rows, oldest first. */
@ApplicationScoped
public class LedgerEntries {

    /** The most rows one tenant's read returns. */
    public static final int MAX_ROWS = 5000;

    private final Pool pool;
    private final LedgerRepository ledger;

    public LedgerEntries(Pool pool, LedgerRepository ledger) {
        this.pool = pool;
        this.ledger = ledger;
    }

    public Uni<List<LedgerEntry>> ofGeneration(String generationId) {
        return ledger.forGeneration(pool, generationId);
    }

    /** @param limit clamped to 1 … {@link #MAX_ROWS} */
    public Uni<List<LedgerEntry>> ofTenant(String tenantId, int limit) {
        return ledger.forTenant(pool, tenantId, Math.min(Math.max(limit, 1), MAX_ROWS));
    }
}
