package ai.vidgen.request.domain;

import java.util.List;

/** Either a request fit to accept or every reason it is not. */
public sealed interface ValidationResult {

    record Valid(ValidatedRequest request) implements ValidationResult {
    }

    /** Never empty: it lists all violations at once so that a client fixes them in one round. */
    record Invalid(List<Violation> violations) implements ValidationResult {
        public Invalid {
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid result needs at least one violation");
            }
            violations = List.copyOf(violations);
        }
    }
}
