package ai.vidgen.dispatcher.client;

import ai.vidgen.platform.problem.Problem;

/** Billing answered with an error status; carries the problem body when there was one. */
public class BillingHttpException extends RuntimeException {

    private final int status;
    private final transient Problem problem;

    public BillingHttpException(int status, Problem problem) {
        super("billing answered HTTP " + status + (problem != null && problem.reason() != null
                ? " (" + problem.reason() + ")" : ""));
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    /** The problem body, or null when the body was not problem JSON. */
    public Problem problem() {
        return problem;
    }
}
