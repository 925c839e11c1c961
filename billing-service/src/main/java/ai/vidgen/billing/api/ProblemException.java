package ai.vidgen.billing.api;

/** Ends a request with the given problem. */
public class ProblemException extends RuntimeException {
    private final transient Problem problem;

    public ProblemException(Problem problem) {
        super(problem.detail());
        this.problem = problem;
    }

    public Problem problem() {
        return problem;
    }

    public static ProblemException of(int status, String reason, String title, String detail) {
        return new ProblemException(new Problem("https://vidgen.ai/problems/" + reason.replace('_', '-'), title, status,
                detail, reason));
    }

    public static ProblemException invalid(java.util.List<Problem.FieldError> errors) {
        return new ProblemException(new Problem("https://vidgen.ai/problems/invalid-request", "Invalid request", 400,
                errors.size() + " invalid field(s)", "invalid_request", errors));
    }
}
