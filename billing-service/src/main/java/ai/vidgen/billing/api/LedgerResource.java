package ai.vidgen.billing.api;

import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.service.Corrections;
import ai.vidgen.billing.service.LedgerEntries;
import ai.vidgen.events.ChargeCorrected;
import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.auth.ServiceOnly;
import ai.vidgen.platform.money.Money;
import ai.vidgen.platform.problem.Problem.ProblemError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * The ledger. Corrections are the operators' (admin token). Reads are open to the platform's
 * services too (service token), so the request-service can show each tenant its own rows: the
 * annotations are per method because a class-level one would apply to every method as well.
 */
@Path("/v1/ledger")
public class LedgerResource {

    public record Entry(String generationId, String tenantId, String kind, long amountMicros, String amount,
            int seconds, long rateMicrosPerSecond, String endpointId, String modelFamily, String tier, boolean audio,
            boolean voiceControl, String priceBookVersion, String reason, Instant createdAt) {

        static Entry of(LedgerEntry e) {
            var q = e.quote();
            return new Entry(e.generationId(), e.tenantId(), e.kind().name(), q.amountMicros(),
                    Money.format(q.amountMicros()), q.seconds(), q.rateMicrosPerSecond(),
                    q.endpointId(), q.modelFamily(), q.tier(), q.audio(), q.voiceControl(), q.priceBookVersion(),
                    e.reason(), e.createdAt());
        }
    }

    /**
     * An admin's correction of one generation's charge.
     *
     * @param correctionId chosen by the caller; a retry with the same id corrects once
     * @param amountMicros signed micro-dollars: negative refunds, positive charges more; never zero
     */
    public record CorrectionRequest(String correctionId, String generationId, Long amountMicros, String reason) {
    }

    private final LedgerEntries entries;
    private final Corrections corrections;
    private final Clock clock = Clock.systemUTC();

    public LedgerResource(LedgerEntries entries, Corrections corrections) {
        this.entries = entries;
        this.corrections = corrections;
    }

    /**
     * Appends a CORRECTION row (never an update in place) with the generation's
     * dimensions, answered once {@code ChargeCorrected} is on the topic. 201 with the row; 200
     * with the earlier row on a retry; 404 {@code unknown_generation} for a generation the ledger
     * does not know; 409 {@code correction_id_reused} when the id was used for something else.
     */
    @POST
    @Path("corrections")
    @AdminOnly
    public Uni<Response> correct(CorrectionRequest request) {
        validate(request);
        // Micro-second precision, as PostgreSQL stores it: the row and the event carry the same instant.
        ChargeCorrected asked = new ChargeCorrected(request.generationId(), null, request.correctionId(),
                request.amountMicros(), request.reason().trim(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        return corrections.correct(asked)
                .map(recorded -> Response.status(recorded.firstTime() ? 201 : 200).entity(Entry.of(recorded.row())).build());
    }

    /** The ledger rows of one generation, or of one tenant (oldest first). */
    @GET
    @ServiceOnly
    public Uni<List<Entry>> entries(@QueryParam("generationId") String generationId,
            @QueryParam("tenantId") String tenantId, @QueryParam("limit") @DefaultValue("500") int limit) {
        Uni<List<LedgerEntry>> rows;
        if (generationId != null) {
            rows = entries.ofGeneration(generationId);
        } else if (tenantId != null) {
            rows = entries.ofTenant(tenantId, limit);
        } else {
            throw BillingProblems.invalid(List.of(ProblemError.parameter("generationId",
                    "generationId or tenantId is required")));
        }
        return rows.map(list -> list.stream().map(Entry::of).toList());
    }

    private static void validate(CorrectionRequest request) {
        BillingProblems.requireBody(request);
        List<ProblemError> errors = new ArrayList<>();
        if (request.correctionId() == null || request.correctionId().isBlank() || request.correctionId().length() > 200) {
            errors.add(ProblemError.at("/correctionId", "an id of 1 to 200 characters (retries reuse it)"));
        }
        if (request.generationId() == null || request.generationId().isBlank()) {
            errors.add(ProblemError.at("/generationId", "required"));
        }
        if (request.amountMicros() == null || request.amountMicros() == 0) {
            errors.add(ProblemError.at("/amountMicros", "a signed, non-zero integer of micro-dollars"));
        }
        if (request.reason() == null || request.reason().isBlank()) {
            errors.add(ProblemError.at("/reason", "required"));
        }
        BillingProblems.refuseIfAny(errors);
    }
}
