package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.AudioMode;
import ai.vidgen.billing.persistence.PriceBookRepository.Version;
import ai.vidgen.billing.persistence.PriceBookRepository.VersionRate;
import ai.vidgen.billing.service.PriceBooks;
import ai.vidgen.events.catalog.ModelFamily;
import ai.vidgen.events.catalog.Tier;
import ai.vidgen.platform.auth.AdminOnly;
import ai.vidgen.platform.problem.Problem.ProblemError;
import io.smallrye.mutiny.Uni;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** The price book's versions over HTTP, operators only, reads included (rules in {@link PriceBooks}). */
@Path("/v1/price-books")
@AdminOnly
public class PriceBookResource {

    /** A new version: its name, when it takes effect (not in the past), where the prices come from, its rates. */
    public record NewVersion(String version, Instant effectiveFrom, String source, List<VersionRate> rates) {
    }

    private final PriceBooks priceBooks;
    private final Clock clock = Clock.systemUTC();

    public PriceBookResource(PriceBooks priceBooks) {
        this.priceBooks = priceBooks;
    }

    @GET
    public Uni<List<Version>> versions() {
        return priceBooks.versions();
    }

    /** 201 with the version; 400 invalid; 409 {@code version_exists} or {@code not_after_latest}. */
    @POST
    public Uni<Response> add(NewVersion request) {
        validate(request);
        return priceBooks.add(request.version().trim(), request.effectiveFrom(), request.source().trim(), request.rates())
                .map(added -> Response.status(201).entity(added).build());
    }

    private void validate(NewVersion request) {
        BillingProblems.requireBody(request);
        List<ProblemError> errors = new ArrayList<>();
        if (request.version() == null || request.version().isBlank() || request.version().length() > 64) {
            errors.add(ProblemError.at("/version", "a name of 1 to 64 characters is required"));
        }
        if (request.source() == null || request.source().isBlank()) {
            errors.add(ProblemError.at("/source", "say where the prices come from"));
        }
        if (request.effectiveFrom() == null) {
            errors.add(ProblemError.at("/effectiveFrom", "required"));
        } else if (request.effectiveFrom().isBefore(clock.instant())) {
            errors.add(ProblemError.at("/effectiveFrom",
                    "must not be in the past: generations already accepted keep the price they were accepted at"));
        }
        if (request.rates() == null || request.rates().isEmpty()) {
            errors.add(ProblemError.at("/rates", "at least one rate"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < request.rates().size(); i++) {
                VersionRate r = request.rates().get(i);
                String at = "/rates/" + i;
                if (r == null) {
                    errors.add(ProblemError.at(at, "a rate is required"));
                    continue;
                }
                if (!isOneOf(r.modelFamily(), ModelFamily.values())) {
                    errors.add(ProblemError.at(at + "/modelFamily", "one of " + Arrays.toString(ModelFamily.values())));
                }
                if (!isOneOf(r.tier(), Tier.values())) {
                    errors.add(ProblemError.at(at + "/tier", "one of " + Arrays.toString(Tier.values())));
                }
                if (!isOneOf(r.audioMode(), AudioMode.values())) {
                    errors.add(ProblemError.at(at + "/audioMode", "one of " + Arrays.toString(AudioMode.values())));
                }
                if (r.microsPerSecond() <= 0) {
                    errors.add(ProblemError.at(at + "/microsPerSecond",
                            "a positive integer of micro-dollars per second (leave a combination out to refuse it)"));
                }
                if (!seen.add(r.modelFamily() + "/" + r.tier() + "/" + r.audioMode())) {
                    errors.add(ProblemError.at(at, "a second rate for the same family, tier and audio mode"));
                }
            }
        }
        BillingProblems.refuseIfAny(errors);
    }

    private static boolean isOneOf(String value, Enum<?>[] values) {
        return value != null && Arrays.stream(values).anyMatch(v -> v.name().equals(value));
    }
}
