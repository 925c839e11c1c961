package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.BudgetExceededException;
import ai.vidgen.billing.domain.NoPriceException;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

public class ProblemMappers {

    @ServerExceptionMapper
    public Response budgetExceeded(BudgetExceededException e) {
        return new Problem("https://vidgen.ai/problems/budget-exceeded", "Budget exceeded", 402, e.getMessage(),
                "budget_exceeded").toResponse();
    }

    @ServerExceptionMapper
    public Response noPrice(NoPriceException e) {
        return new Problem("https://vidgen.ai/problems/no-price", "No price for this generation", 422, e.getMessage(),
                "no_price").toResponse();
    }

    @ServerExceptionMapper
    public Response problem(ProblemException e) {
        return e.problem().toResponse();
    }

    @ServerExceptionMapper
    public Response badArgument(IllegalArgumentException e) {
        return new Problem("https://vidgen.ai/problems/invalid-request", "Invalid request", 400, e.getMessage(),
                "invalid_request").toResponse();
    }
}
