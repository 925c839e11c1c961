package ai.vidgen.dispatcher.client;

import ai.vidgen.dispatcher.domain.BillingAnswers;
import ai.vidgen.dispatcher.domain.ReservationOutcome;
import ai.vidgen.dispatcher.persistence.PendingReservation;
import ai.vidgen.platform.problem.Problem;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.rest.client.inject.RestClient;

/** Reserves with billing and reads the answer as a {@link ReservationOutcome}; never fails. */
@ApplicationScoped
public class Billing {

    private final BillingClient client;

    public Billing(@RestClient BillingClient client) {
        this.client = client;
    }

    public Uni<ReservationOutcome> reserve(PendingReservation p) {
        ReservationRequest request = new ReservationRequest(p.generationId(), p.tenantId(),
                new ReservationRequest.Spec(p.spec().endpointId(), p.spec().seconds(), p.spec().audio(),
                        p.spec().voiceControl()),
                p.acceptedAt());
        return Uni.createFrom().deferred(() -> client.reserve(request))
                .map(r -> (ReservationOutcome) new ReservationOutcome.Reserved(r.amountMicros(), r.priceBookVersion()))
                .onFailure().recoverWithItem(Billing::classify);
    }

    static ReservationOutcome classify(Throwable failure) {
        if (failure instanceof BillingHttpException http) {
            Problem problem = http.problem();
            String detail = problem == null ? null : problem.detail() != null ? problem.detail() : problem.title();
            return BillingAnswers.classify(http.status(), problem == null ? null : problem.reason(), detail);
        }
        return new ReservationOutcome.Unavailable(describe(failure));
    }

    private static String describe(Throwable failure) {
        Throwable root = failure;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getClass().getSimpleName() + (root.getMessage() == null ? "" : ": " + root.getMessage());
    }
}
