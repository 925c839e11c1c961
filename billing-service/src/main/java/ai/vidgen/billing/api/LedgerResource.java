package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.Corrections;
import ai.vidgen.billing.domain.Money;
import ai.vidgen.billing.messaging.BillingEventPublisher;
import ai.vidgen.billing.persistence.LedgerEntry;
import ai.vidgen.billing.persistence.LedgerRepository;
import ai.vidgen.events.ChargeCorrected;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

@Path("/v1/ledger")
public class LedgerResource {

    public record Entry(String generationId, String tenantId, String kind, long amountMicros, String amount,
            int seconds, long rateMicrosPerSecond, String endpointId, String modelFamily, String tier, boolean audio,
            boolean voiceControl, String priceBookVersion, String reason, Instant createdAt) {

        static Entry of(LedgerEntry e) {
            var q = e.quote();
            return new Entry(e.generationId(), e.tenantId(), e.kind().name(), q.amountMicros(),
                    Money.decimal(q.amountMicros()).toPlainString(), q.seconds(), q.rateMicrosPerSecond(),
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

    private final Pool pool;
    private final LedgerRepository ledger;
    private final AdminAuth admin;
    private final Corrections corrections;
    private final BillingEventPublisher publisher;
    private final Clock clock = Clock.systemUTC();

    public LedgerResource(Pool pool, LedgerRepository ledger, AdminAuth admin, Corrections corrections,
            BillingEventPublisher publisher) {
        this.pool = pool;
        this.ledger = ledger;
        this.admin = admin;
        this.corrections = corrections;
        this.publisher = publisher;
    }

    /**
     * Admin: appends a CORRECTION row (never an update in place) with the generation's
     * dimensions. 201 with the row; 200 with the earlier row on a retry; 404 for a generation the
     * ledger does not know; 409 when the correction id was used for something else.
     */
    @POST
    @Path("corrections")
    public Uni<Response> correct(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization,
            CorrectionRequest request) {
        admin.require(authorization);
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.invalid(List.of(new Problem.FieldError("", "a body is required")));
        }
        if (request.correctionId() == null || request.correctionId().isBlank() || request.correctionId().length() > 200) {
            errors.add(new Problem.FieldError("/correctionId", "an id of 1 to 200 characters (retries reuse it)"));
        }
        if (request.generationId() == null || request.generationId().isBlank()) {
            errors.add(new Problem.FieldError("/generationId", "required"));
        }
        if (request.amountMicros() == null || request.amountMicros() == 0) {
            errors.add(new Problem.FieldError("/amountMicros", "a signed, non-zero integer of micro-dollars"));
        }
        if (request.reason() == null || request.reason().isBlank()) {
            errors.add(new Problem.FieldError("/reason", "required"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
        // Micro-second precision, as PostgreSQL stores it: the row and the event carry the same instant.
        ChargeCorrected asked = new ChargeCorrected(request.generationId(), null, request.correctionId(),
                request.amountMicros(), request.reason().trim(), clock.instant().truncatedTo(ChronoUnit.MICROS));
        return corrections.record(asked)
                .map(recorded -> recorded.orElseThrow(() -> ProblemException.of(404, "unknown_generation",
                        "Unknown generation", "the ledger has no entry for generation " + request.generationId())))
                .invoke(recorded -> {
                    if (!recorded.matches(asked)) {
                        throw ProblemException.of(409, "correction_id_reused", "Correction id reused",
                                "correction " + request.correctionId() + " exists with other content");
                    }
                })
                // Answered only once the correction is on the topic too, so a billing-service rebuilt
                // from the topic holds it; a retry with the same id publishes the same event again.
                .call(recorded -> publisher.publish(recorded.asEvent(request.correctionId())))
                .map(recorded -> Response.status(recorded.firstTime() ? 201 : 200).entity(Entry.of(recorded.row())).build());
    }

    /** The ledger rows of one generation, or of one tenant (oldest first). */
    @GET
    public Uni<List<Entry>> entries(@QueryParam("generationId") String generationId,
            @QueryParam("tenantId") String tenantId, @QueryParam("limit") @DefaultValue("500") int limit) {
        Uni<List<LedgerEntry>> rows;
        if (generationId != null) {
            rows = ledger.forGeneration(pool, generationId);
        } else if (tenantId != null) {
            rows = ledger.forTenant(pool, tenantId, Math.min(Math.max(limit, 1), 5000));
        } else {
            throw new BadRequestException("generationId or tenantId is required");
        }
        return rows.map(list -> list.stream().map(Entry::of).toList());
    }
}
