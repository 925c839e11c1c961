package ai.vidgen.dispatcher.client;

/** Billing answered with an error status; carries the problem body when there was one. */
public class BillingHttpException extends RuntimeException {

    private final int status;
    private final transient BillingProblem problem;

    public BillingHttpException(int status, BillingProblem problem) {
        super("billing answered HTTP " + status + (problem != null && problem.reason() != null
                ? " (" + problem.reason() + ")" : ""));
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The problem body, or null when the body was not problem JSON. */
    public BillingProblem problem() {
        return problem;
    }
}
