package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.BillingMetrics;
import ai.vidgen.billing.domain.LedgerKind;
import ai.vidgen.billing.persistence.LedgerRepository;
import ai.vidgen.billing.persistence.OutcomeRepository;
import ai.vidgen.events.GenerationCompleted;
import ai.vidgen.events.GenerationFailed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

/**
 * Counts each fal attempt's outcome once (per generation and attempt), for the generation time
 * and success rate per endpoint: a redelivered event finds its row and is not counted again.
 */
@ApplicationScoped
public class Outcomes {

    private final Pool pool;
    private final OutcomeRepository repository;
    private final LedgerRepository ledger;
    private final BillingMetrics metrics;

    public Outcomes(Pool pool, OutcomeRepository repository, LedgerRepository ledger, BillingMetrics metrics) {
        this.pool = pool;
        this.repository = repository;
        this.ledger = ledger;
        this.metrics = metrics;
    }

    /** @return true when this call recorded the completion; false on a redelivery */
    public Uni<Boolean> completed(GenerationCompleted event) {
        String endpoint = event.spec() != null ? event.spec().endpointId() : null;
        return record(event.generationId(), event.attempt(), endpoint, BillingMetrics.COMPLETED, event.inferenceMillis());
    }

    /** GenerationFailed carries no spec: the endpoint is the reservation's. */
    public Uni<Void> failed(GenerationFailed event) {
        return ledger.find(pool, event.generationId(), LedgerKind.RESERVE)
                .flatMap(reserve -> record(event.generationId(), event.attempt(),
                        reserve.map(r -> r.quote().endpointId()).orElse(null), BillingMetrics.FAILED, null))
                .replaceWithVoid();
    }

    private Uni<Boolean> record(String generationId, int attempt, String endpointId, String outcome, Long inferenceMillis) {
        String endpoint = BillingMetrics.endpointLabel(endpointId);
        return repository.record(pool, generationId, attempt, endpoint, outcome.toUpperCase(), inferenceMillis)
                .invoke(first -> {
                    if (first) {
                        metrics.attemptEnded(endpoint, outcome, inferenceMillis);
                    }
                });
    }
}
