package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.BudgetExceededException;
import ai.vidgen.billing.domain.ConflictException;
import ai.vidgen.billing.domain.NoPriceException;
import ai.vidgen.billing.domain.UnknownGenerationException;
import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.Problem.ProblemError;
import ai.vidgen.platform.problem.ProblemException;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import java.util.List;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Billing's problem answers. Every one carries a stable {@code reason} (callers such as the
 * dispatcher branch on it: {@code budget_exceeded}, {@code no_price}) and the type
 * {@code urn:vidgen:problem:<the reason, dashed>}. The platform's mappers answer everything else.
 */
public class BillingProblems {

    /** A problem of type {@code urn:vidgen:problem:<reason-dashed>} with its {@code reason}. */
    static Problem problem(int status, String reason, String title, String detail) {
        return Problem.of(Problem.type(reason.replace('_', '-')), title, status, detail).withReason(reason);
    }

    /** 400 with every invalid field. */
    static ProblemException invalid(List<ProblemError> errors) {
        return new ProblemException(problem(400, "invalid_request", "Invalid request",
                errors.size() + " invalid field(s)").withErrors(errors));
    }

    /** Ends the request with 400 when validation found anything, naming every invalid field at once. */
    static void refuseIfAny(List<ProblemError> errors) {
        if (!errors.isEmpty()) {
            throw invalid(errors);
        }
    }

    /** A JSON body is required (an empty one reaches a resource as null). */
    static void requireBody(Object body) {
        if (body == null) {
            throw invalid(List.of(ProblemError.at("", "a body is required")));
        }
    }

    @ServerExceptionMapper
    public Response budgetExceeded(BudgetExceededException e, UriInfo uri) {
        return answer(problem(402, "budget_exceeded", "Budget exceeded", e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response noPrice(NoPriceException e, UriInfo uri) {
        return answer(problem(422, "no_price", "No price for this generation", e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response unknownGeneration(UnknownGenerationException e, UriInfo uri) {
        return answer(problem(404, "unknown_generation", "Unknown generation", e.getMessage()), uri);
    }

    @ServerExceptionMapper
    public Response conflict(ConflictException e, UriInfo uri) {
        // One title per type, as RFC 9457 asks: "version_exists" → "Version exists".
        String title = Character.toUpperCase(e.reason().charAt(0)) + e.reason().substring(1).replace('_', ' ');
        return answer(problem(409, e.reason(), title, e.getMessage()), uri);
    }

    /** A request the rules cannot price (no positive length, say): the caller's mistake. */
    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e, UriInfo uri) {
        return answer(problem(400, "invalid_request", "Invalid request", e.getMessage()), uri);
    }

    private static Response answer(Problem problem, UriInfo uri) {
        return problem.withInstance(uri.getPath()).toResponse();
    }
}
