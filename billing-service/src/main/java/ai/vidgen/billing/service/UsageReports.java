package ai.vidgen.billing.service;

import ai.vidgen.billing.persistence.UsageRepository;
import ai.vidgen.billing.persistence.UsageRepository.Dimension;
import ai.vidgen.billing.persistence.UsageRepository.UsageRow;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/** What was charged (settlements plus corrections), grouped by the chosen dimensions. */
@ApplicationScoped
public class UsageReports {

    private final Pool pool;
    private final UsageRepository usage;

    public UsageReports(Pool pool, UsageRepository usage) {
        this.pool = pool;
        this.usage = usage;
    }

    /**
     * @param tenantId null for every tenant
     * @param from     inclusive, null for the beginning
     * @param to       exclusive, null for now
     */
    public Uni<List<UsageRow>> usage(String tenantId, Instant from, Instant to, List<Dimension> groupBy) {
        return usage.usage(pool, tenantId, from, to, groupBy);
    }
}
