package ai.vidgen.falemulator.api;

import ai.vidgen.falemulator.domain.Fault;
import ai.vidgen.falemulator.domain.FaultRule;
import ai.vidgen.falemulator.domain.RequestStatus;
import ai.vidgen.falemulator.queue.Faults;
import ai.vidgen.falemulator.queue.WebhookSender;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.PUT;
import java.util.Optional;
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
    private final Faults faults;
    private final WebhookSender webhooks;

    public AdminResource(QueueService queue, Faults faults, WebhookSender webhooks) {
        this.queue = queue;
        this.faults = faults;
        this.webhooks = webhooks;
    }

    /** A fault rule as the admin API reads and writes it. */
    public record FaultView(String fault, double rate, String endpoint) {
        static FaultView of(FaultRule rule) {
            return new FaultView(rule.fault().id(), rule.rate(), rule.endpoint().orElse(null));
        }
    }

    /** The fault rules in force. */
    @GET
    @Path("faults")
    public List<FaultView> faults() {
        return faults.rules().stream().map(FaultView::of).toList();
    }

    /** Replaces the fault rules: {@code [{"fault":"content_policy_violation","rate":1.0,"endpoint":"…"}]}. */
    @PUT
    @Path("faults")
    @Consumes(MediaType.APPLICATION_JSON)
    public List<FaultView> setFaults(List<FaultView> rules) {
        try {
            faults.replace((rules == null ? List.<FaultView>of() : rules).stream()
                    .map(r -> new FaultRule(Fault.byId(String.valueOf(r.fault())).orElseThrow(() ->
                            new IllegalArgumentException("unknown fault '%s'; known: %s".formatted(r.fault(),
                                    Arrays.stream(Fault.values()).map(Fault::id).toList()))),
                            r.rate(), Optional.ofNullable(r.endpoint())))
                    .toList());
        } catch (IllegalArgumentException e) {
            throw new BadRequestException(e.getMessage());
        }
        queue.dispatch(); // a lifted queue_stalled lets the waiting requests start
        return faults();
    }

    /** Back to the configured fault rules ({@code emulator.faults}). */
    @DELETE
    @Path("faults")
    public void resetFaults() {
        faults.reset();
        queue.dispatch();
    }

    /** Every webhook delivery attempt (newest last); {@code ?request_id=} filters. */
    @GET
    @Path("webhooks")
    public List<WebhookSender.Attempt> webhooks(@QueryParam("request_id") String requestId) {
        return webhooks.attempts().stream()
                .filter(a -> requestId == null || requestId.equals(a.requestId()))
                .toList();
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
        webhooks.reset();
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
