package ai.vidgen.request.client;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * billing-service answered a tenant read with an error status.
 *
 * @param problem billing's problem+json body, or null when it sent none (or not JSON)
 */
public class BillingReadException extends RuntimeException {

    private final int status;
    private final transient JsonNode problem;

    public BillingReadException(int status, JsonNode problem) {
        super("billing-service answered " + status, null, false, false);
        this.status = status;
        this.problem = problem;
    }

    public int status() {
        return status;
    }

    public JsonNode problem() {
        return problem;
    }
}
