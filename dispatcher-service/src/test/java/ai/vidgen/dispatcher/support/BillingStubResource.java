package ai.vidgen.dispatcher.support;

import ai.vidgen.platform.problem.Problem;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

/**
 * billing-service's reservation endpoint as the tests script it, served by the application under
 * test on the test port (quarkus.rest-client.billing.url points there, see {@link BillingStubPort}).
 * Its refusals are billing's: the platform's problem+json ({@code urn:vidgen:problem:<slug>}) with
 * the machine {@code reason}. Like billing's real route (the platform's {@code @ServiceOnly}), a call
 * without {@code Authorization: Bearer <the tests' service token>} is a 401 without a reason and
 * never reaches the script: every test that sees a reservation proves the service sends its token.
 */
@Path("/v1/reservations")
public class BillingStubResource {

    static final long RATE_MICROS_PER_SECOND = 84_000;
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private final BillingStub stub;

    public BillingStubResource(BillingStub stub) {
        this.stub = stub;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response reserve(JsonNode body, @HeaderParam("traceparent") String traceparent,
            @HeaderParam(HttpHeaders.AUTHORIZATION) String authorization) {
        if (!("Bearer " + TestTokens.SERVICE).equals(authorization)) {
            stub.refused();
            return Problem.of(Problem.UNAUTHORIZED, "Unauthorized", 401,
                    "this route needs Authorization: Bearer <service bearer token>").toResponse();
        }
        String generationId = body.path("generationId").asText();
        String tenantId = body.path("tenantId").asText();
        int seconds = body.path("spec").path("seconds").asInt();
        BillingStub.Answer answer = stub.answer(tenantId, generationId, body, traceparent);
        if (answer == null) {
            return problem(402, "stub_unknown_tenant", "the billing stub was not told about tenant " + tenantId);
        }
        if (answer == BillingStub.Answer.ACCEPT_WHEN_OPENED || answer == BillingStub.Answer.ENDED_WHEN_OPENED) {
            stub.awaitGate();
        }
        return switch (answer) {
            case ACCEPT, ACCEPT_WHEN_OPENED -> {
                ObjectNode reservation = MAPPER.createObjectNode()
                        .put("generationId", generationId)
                        .put("amountMicros", seconds * RATE_MICROS_PER_SECOND)
                        .put("rateMicrosPerSecond", RATE_MICROS_PER_SECOND)
                        .put("seconds", seconds)
                        .put("priceBookVersion", "test-2026-01");
                yield Response.ok(reservation.toString(), MediaType.APPLICATION_JSON).build();
            }
            case BUDGET_EXCEEDED -> problem(402, "budget_exceeded",
                    "tenant " + tenantId + " has $0.10 left of its budget; this generation needs $0.42");
            case ENDED_WHEN_OPENED -> problem(409, "generation_ended",
                    "generation " + generationId + " already ended (cancelled: cancelled); nothing is reserved for it");
            case NO_PRICE -> problem(422, "no_price", "no price for this endpoint in price book test-2026-01");
            case FAIL -> Problem.of(Problem.INTERNAL, "Internal Server Error", 500, "the billing stub failed as told")
                    .toResponse();
        };
    }

    private static Response problem(int status, String reason, String detail) {
        return Problem.of(Problem.type(reason.replace('_', '-')), reason.replace('_', ' '), status, detail)
                .withReason(reason).toResponse();
    }
}
