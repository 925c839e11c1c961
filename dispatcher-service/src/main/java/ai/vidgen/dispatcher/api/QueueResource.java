package ai.vidgen.dispatcher.api;

import ai.vidgen.dispatcher.config.DispatcherConfig;
import ai.vidgen.dispatcher.domain.Priority;
import ai.vidgen.dispatcher.domain.QueueStatus;
import ai.vidgen.dispatcher.persistence.QueueEntry;
import ai.vidgen.dispatcher.persistence.QueueRepository;
import ai.vidgen.dispatcher.persistence.QueueStats;
import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.problem.Problem.ProblemError;
import ai.vidgen.platform.problem.ProblemException;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;

/**
 * Admin view of the queue. It shows every tenant's work, so it is for operators only
 * ({@link AdminOnly}: {@code Authorization: Bearer <admin token>} of {@code vidgen.auth.admin-tokens};
 * missing or wrong: 401; no admin token configured: 404).
 */
@AdminOnly
@Path("/v1/queue")
@Produces(MediaType.APPLICATION_JSON)
public class QueueResource {

    private final QueueRepository queue;
    private final DispatcherConfig config;

    public QueueResource(QueueRepository queue, DispatcherConfig config) {
        this.queue = queue;
        this.config = config;
    }

    @GET
    @Operation(summary = "Counts by status and the QUEUED generations in release order")
    @APIResponse(responseCode = "200", description = "The queue")
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token")
    public Uni<QueueView> view(@QueryParam("tenantId") String tenantId,
            @QueryParam("limit") @DefaultValue("100") int limit) {
        if (limit < 1 || limit > 1000) {
            throw ProblemException.invalid("The request has invalid parameters.",
                    List.of(ProblemError.at("/limit", "must be between 1 and 1000")));
        }
        String tenant = tenantId == null || tenantId.isBlank() ? null : tenantId;
        return queue.stats().chain(stats -> queue.listQueued(tenant, limit)
                .map(entries -> new QueueView(config.maxInFlight(), stats.count(QueueStatus.DISPATCHED),
                        counts(stats), byPriority(stats),
                        entries.stream().map(QueuedGeneration::of).toList())));
    }

    @GET
    @Path("/{generationId}")
    @Operation(summary = "Where one generation is in admission control")
    @APIResponse(responseCode = "200", description = "The generation's admission state")
    @APIResponse(responseCode = "401", description = "Missing or wrong admin token")
    @APIResponse(responseCode = "404", description = "Not in the queue")
    public Uni<QueueEntry> generation(@PathParam("generationId") String generationId) {
        return queue.find(generationId).map(found -> found.orElseThrow(
                () -> ProblemException.notFound("generation " + generationId + " is not in the queue")));
    }

    private static Map<String, Long> counts(QueueStats stats) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (QueueStatus s : QueueStatus.values()) {
            counts.put(s.name(), stats.count(s));
        }
        return counts;
    }

    private static Map<String, Long> byPriority(QueueStats stats) {
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Priority p : Priority.values()) {
            counts.put(p.code(), stats.queued(p));
        }
        return counts;
    }
}
