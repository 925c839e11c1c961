package ai.vidgen.dispatcher.domain;

import ai.vidgen.events.GenerationRequested;
import java.util.Optional;

/** What a GenerationRequested must carry before this service can queue it. */
public final class Admission {

    private Admission() {
    }

    /**
     * @return why the event cannot be admitted, or empty when it can. Such an event breaks the
     *     contract (request-service validates before publishing), so it is dead-lettered, not rejected.
     */
    public static Optional<String> defect(GenerationRequested r) {
        if (isBlank(r.tenantId())) {
            return Optional.of("tenantId is missing");
        }
        if (r.spec() == null) {
            return Optional.of("spec is missing");
        }
        if (isBlank(r.spec().endpointId())) {
            return Optional.of("spec.endpointId is missing");
        }
        if (r.spec().seconds() <= 0) {
            return Optional.of("spec.seconds must be positive");
        }
        if (r.input() == null) {
            return Optional.of("input is missing");
        }
        return Optional.empty();
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }
}
