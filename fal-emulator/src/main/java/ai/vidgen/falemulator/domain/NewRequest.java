package ai.vidgen.falemulator.domain;

import ai.vidgen.events.catalog.KlingEndpoint;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The immutable facts of a submitted request.
 *
 * @param plan       what to produce; empty when the input was invalid and the request will fail
 * @param rejection  the validation errors the runner will report (empty when valid)
 * @param inputKey   a digest of endpoint and input, to count duplicate submissions
 * @param baseUrl    the base of the URLs handed out for this request, without a trailing slash
 * @param eligibleAt the earliest moment the request may start (submission plus queue delay)
 */
public record NewRequest(String id, KlingEndpoint endpoint, Optional<GenerationPlan> plan, List<FieldError> rejection,
                         String inputKey, Optional<String> webhookUrl, String baseUrl,
                         Instant submittedAt, Instant eligibleAt) {

    public NewRequest {
        rejection = List.copyOf(rejection);
        if (plan.isEmpty() == rejection.isEmpty()) {
            throw new IllegalArgumentException("a request has either a plan or a rejection");
        }
    }

    public AppId app() {
        return AppId.fromEndpointId(endpoint.id());
    }
}
