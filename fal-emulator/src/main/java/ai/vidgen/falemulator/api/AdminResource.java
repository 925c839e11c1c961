package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.RequestStatus;
import ai.vidgen.falemulator.queue.QueueService;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The emulator's own view, for tests and billing reconciliation. Not part of fal's API, so not
 * behind the fal key; the emulator is a local test tool.
 */
@Path("/_emulator")
@Produces(MediaType.APPLICATION_JSON)
public class AdminResource {

    private final QueueService queue;

    public AdminResource(QueueService queue) {
        this.queue = queue;
    }

    /** Every remembered request, oldest first; {@code ?status=IN_QUEUE|IN_PROGRESS|COMPLETED} filters. */
    @GET
    @Path("requests")
    public List<RequestSummary> requests(@QueryParam("status") String status) {
        RequestStatus wanted = status == null || status.isBlank() ? null : parseStatus(status);
        return queue.snapshots().stream()
                .filter(s -> wanted == null || s.status() == wanted)
                .map(RequestSummary::of)
                .toList();
    }

    /** Forgets every request and zeroes the counters; rendered clips stay cached on disk. */
    @DELETE
    @Path("requests")
    public void reset() {
        queue.reset();
    }

    @GET
    @Path("stats")
    public EmulatorStats stats() {
        return EmulatorStats.of(queue.stats());
    }

    private static RequestStatus parseStatus(String status) {
        try {
            return RequestStatus.valueOf(status.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new BadRequestException("status must be one of " + Arrays.toString(RequestStatus.values()));
        }
    }
}
