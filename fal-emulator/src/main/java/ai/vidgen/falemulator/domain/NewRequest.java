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
 * @param lowPriority {@code X-Fal-Queue-Priority: low}: queued behind every normal request
 * @param startBy    {@code X-Fal-Request-Timeout}: a request not started by then fails with 504
 */
public record NewRequest(String id, KlingEndpoint endpoint, Optional<GenerationPlan> plan, List<FieldError> rejection,
                         String inputKey, Optional<String> webhookUrl, String baseUrl,
                         Instant submittedAt, Instant eligibleAt, boolean lowPriority, Optional<Instant> startBy) {

    public NewRequest(String id, KlingEndpoint endpoint, Optional<GenerationPlan> plan, List<FieldError> rejection,
                      String inputKey, Optional<String> webhookUrl, String baseUrl,
                      Instant submittedAt, Instant eligibleAt) {
        this(id, endpoint, plan, rejection, inputKey, webhookUrl, baseUrl, submittedAt, eligibleAt, false, Optional.empty());
    }

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
