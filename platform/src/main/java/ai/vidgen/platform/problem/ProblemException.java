package ai.vidgen.platform.problem;

import java.util.List;
import java.util.Map;

/** Ends a request with a problem+json answer; mapped by {@link ProblemMappers}. */
public class ProblemException extends RuntimeException {

    private final transient Problem problem;
    private final Map<String, String> headers;

    public ProblemException(Problem problem) {
        this(problem, Map.of());
    }

    public ProblemException(Problem problem, Map<String, String> headers) {
        super(problem.detail(), null, false, false);
        this.problem = problem;
        this.headers = Map.copyOf(headers);
    }

    /** A problem of type {@code urn:vidgen:problem:<slug>}. */
    public static ProblemException of(int status, String slug, String title, String detail) {
        return new ProblemException(Problem.of(Problem.type(slug), title, status, detail));
    }

    public static ProblemException notFound(String detail) {
        return new ProblemException(Problem.of(Problem.NOT_FOUND, "Not found", 404, detail));
    }

    public static ProblemException invalid(String detail, List<Problem.ProblemError> errors) {
        return new ProblemException(Problem.of(Problem.INVALID_REQUEST, "Invalid request", 400, detail)
                .withErrors(errors.isEmpty() ? null : errors));
    }

    public static ProblemException unauthorized(String detail) {
        return new ProblemException(Problem.of(Problem.UNAUTHORIZED, "Unauthorized", 401, detail));
    }

    public Problem problem() {
        return problem;
    }

    public Map<String, String> headers() {
        return headers;
    }
}
