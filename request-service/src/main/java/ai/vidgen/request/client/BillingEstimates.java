package ai.vidgen.request.client;

import ai.vidgen.events.GenerationSpec;
import ai.vidgen.request.config.RequestConfig;
import ai.vidgen.request.domain.Estimate;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;
import org.jboss.logging.Logger;

/**
 * Asks billing what a generation will cost, without letting billing's availability decide
 * whether the front door accepts work: admission reserves a real estimate later and fails closed
 * there, so an unreachable or slow billing yields "no estimate", never a refusal.
 */
@ApplicationScoped
public class BillingEstimates {

    private static final Logger LOG = Logger.getLogger(BillingEstimates.class);

    /** The three answers the front door distinguishes. */
    public sealed interface Outcome {
        record Priced(Estimate estimate) implements Outcome {
        }

        /** Billing will not price it (e.g. {@code no_price}): admission would refuse it too. */
        record Refused(String reason, String detail) implements Outcome {
        }

        record Unavailable() implements Outcome {
        }
    }

    private final BillingClient billing;
    private final RequestConfig config;

    public BillingEstimates(@RestClient BillingClient billing, RequestConfig config) {
        this.billing = billing;
        this.config = config;
    }

    public Uni<Outcome> estimate(GenerationSpec spec) {
        return billing.estimate(new EstimateRequest(spec.endpointId(), spec.seconds(), spec.audio(), spec.voiceControl()))
                .ifNoItem().after(config.estimateTimeout()).fail()
                .<Outcome>map(r -> new Outcome.Priced(
                        new Estimate(r.amountMicros(), r.rateMicrosPerSecond(), r.seconds(), r.priceBookVersion())))
                .onFailure().recoverWithItem(failure -> {
                    if (failure instanceof EstimateRefusedException refused) {
                        return new Outcome.Refused(refused.reason(), refused.getMessage());
                    }
                    LOG.warnf("no estimate from billing-service (%s); accepting without one", failure.toString());
                    return new Outcome.Unavailable();
                });
    }
}
