package ai.vidgen.faladapter.api;

import ai.vidgen.faladapter.domain.FalRequestState;
import ai.vidgen.faladapter.persistence.FalRequestRepository;
import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.problem.Problem;
import ai.vidgen.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.List;
import java.util.Locale;

/**
 * Read-only operator view of the attempts the adapter tracks (e.g. the NEEDS_ATTENTION list).
 * Operators only ({@link AdminOnly}: admin bearer token; 404 when none is configured).
 */
@Path("/fal-requests")
@AdminOnly
@Produces(MediaType.APPLICATION_JSON)
public class FalRequestResource {

    private final FalRequestRepository repository;

    public FalRequestResource(FalRequestRepository repository) {
        this.repository = repository;
    }

    /** Every attempt of one generation. */
    @GET
    @Path("/{generationId}")
    public Uni<Response> byGeneration(@PathParam("generationId") String generationId) {
        return repository.byGeneration(generationId).map(rows -> {
            if (rows.isEmpty()) {
                throw ProblemException.notFound("no fal request for generation " + generationId);
            }
            return Response.ok(rows.stream().map(FalRequestView::of).toList()).build();
        });
    }

    /** Attempts in one state, least recently updated first. */
    @GET
    public Uni<Response> byState(@QueryParam("state") @DefaultValue("NEEDS_ATTENTION") String state,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        FalRequestState parsed;
        try {
            parsed = FalRequestState.valueOf(state.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return Uni.createFrom().failure(invalid("state", "unknown state " + state));
        }
        if (limit < 1 || limit > 1000) {
            return Uni.createFrom().failure(invalid("limit", "limit must be 1..1000"));
        }
        return repository.byState(parsed, limit)
                .map(rows -> Response.ok(rows.stream().map(FalRequestView::of).toList()).build());
    }

    private static ProblemException invalid(String parameter, String detail) {
        return ProblemException.invalid(detail, List.of(Problem.ProblemError.parameter(parameter, detail)));
    }
}
