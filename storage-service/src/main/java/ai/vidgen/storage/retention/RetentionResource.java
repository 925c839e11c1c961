package ai.vidgen.storage.retention;

import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.problem.ProblemException;
import ai.vidgen.storage.config.StorageConfig;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.eclipse.microprofile.openapi.annotations.Operation;

/**
 * The retention policy's dry run: which videos a sweep would delete, deleting nothing. An
 * operator endpoint (not tenant-scoped): every route under {@code /v1/retention} is
 * {@link AdminOnly} (admin bearer token; 404 when none is configured).
 */
@Path("/v1/retention")
@AdminOnly
public class RetentionResource {

    private final RetentionService retention;
    private final Optional<Integer> configuredDays;

    public RetentionResource(RetentionService retention, StorageConfig config) {
        this.retention = retention;
        this.configuredDays = config.retention().days();
    }

    public record DryRun(Integer days, Instant cutoff, boolean enabled, int count,
            List<RetentionService.Candidate> videos) {
    }

    @GET
    @Path("dry-run")
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(summary = "Videos the retention policy would delete now (oldest first); deletes nothing")
    public Uni<DryRun> dryRun(@QueryParam("days") Integer days, @QueryParam("limit") Integer limit) {
        Integer effective = days != null ? days : configuredDays.orElse(null);
        if (effective == null) {
            return Uni.createFrom().item(new DryRun(null, null, false, 0, List.of()));
        }
        if (effective < 0 || (limit != null && (limit < 1 || limit > 10_000))) {
            return Uni.createFrom().failure(ProblemException.of(400, "invalid-parameter", "Invalid parameter",
                    "days must be >= 0 and limit between 1 and 10000"));
        }
        return retention.candidates(effective, limit == null ? 1000 : limit)
                .map(list -> new DryRun(effective, RetentionService.cutoff(effective).toInstant(),
                        configuredDays.isPresent(), list.size(), list));
    }
}
