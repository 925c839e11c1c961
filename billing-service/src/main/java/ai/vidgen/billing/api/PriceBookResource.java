package ai.vidgen.billing.api;

import ai.vidgen.billing.domain.AudioMode;
import ai.vidgen.billing.persistence.PriceBookRepository;
import ai.vidgen.billing.persistence.PriceBookRepository.Version;
import ai.vidgen.billing.persistence.PriceBookRepository.VersionRate;
import ai.vidgen.events.catalog.ModelFamily;
import ai.vidgen.events.catalog.Tier;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.Response;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The versions of the price book. A new version takes effect at its date, without a redeploy;
 * an existing version is never changed, so every ledger row keeps the price it was charged at.
 */
@Path("/v1/price-books")
public class PriceBookResource {

    /** A new version: its name, when it takes effect (not in the past), where the prices come from, its rates. */
    public record NewVersion(String version, Instant effectiveFrom, String source, List<VersionRate> rates) {
    }

    private final Pool pool;
    private final PriceBookRepository priceBooks;
    private final AdminAuth admin;
    private final Clock clock = Clock.systemUTC();

    public PriceBookResource(Pool pool, PriceBookRepository priceBooks, AdminAuth admin) {
        this.pool = pool;
        this.priceBooks = priceBooks;
        this.admin = admin;
    }

    @GET
    public Uni<List<Version>> versions() {
        return priceBooks.versions(pool);
    }

    /** Admin: 201 with the version; 400 invalid; 409 {@code version_exists} or {@code not_after_latest}. */
    @POST
    public Uni<Response> add(@HeaderParam(HttpHeaders.AUTHORIZATION) String authorization, NewVersion request) {
        admin.require(authorization);
        validate(request);
        return pool.withTransaction(tx -> priceBooks.lockForAddition(tx)
                        .flatMap(ignored -> priceBooks.latestEffectiveFrom(tx))
                        .flatMap(latest -> {
                            if (latest.isPresent() && !request.effectiveFrom().isAfter(latest.get())) {
                                throw ProblemException.of(409, "not_after_latest", "Not after the latest version",
                                        "a new version must take effect after the latest one (" + latest.get() + ")");
                            }
                            return priceBooks.insert(tx, request.version().trim(), request.effectiveFrom(),
                                    request.source().trim(), request.rates());
                        }))
                .flatMap(inserted -> {
                    if (!inserted) {
                        throw ProblemException.of(409, "version_exists", "Version exists",
                                "price book version " + request.version() + " exists and is never changed");
                    }
                    return priceBooks.versions(pool);
                })
                .map(all -> Response.status(201).entity(all.stream()
                        .filter(v -> v.version().equals(request.version().trim())).findFirst().orElseThrow()).build());
    }

    private void validate(NewVersion request) {
        List<Problem.FieldError> errors = new ArrayList<>();
        if (request == null) {
            throw ProblemException.invalid(List.of(new Problem.FieldError("", "a body is required")));
        }
        if (request.version() == null || request.version().isBlank() || request.version().length() > 64) {
            errors.add(new Problem.FieldError("/version", "a name of 1 to 64 characters is required"));
        }
        if (request.source() == null || request.source().isBlank()) {
            errors.add(new Problem.FieldError("/source", "say where the prices come from"));
        }
        if (request.effectiveFrom() == null) {
            errors.add(new Problem.FieldError("/effectiveFrom", "required"));
        } else if (request.effectiveFrom().isBefore(clock.instant())) {
            errors.add(new Problem.FieldError("/effectiveFrom",
                    "must not be in the past: generations already accepted keep the price they were accepted at"));
        }
        if (request.rates() == null || request.rates().isEmpty()) {
            errors.add(new Problem.FieldError("/rates", "at least one rate"));
        } else {
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < request.rates().size(); i++) {
                VersionRate r = request.rates().get(i);
                String at = "/rates/" + i;
                if (r == null) {
                    errors.add(new Problem.FieldError(at, "a rate is required"));
                    continue;
                }
                if (!isOneOf(r.modelFamily(), ModelFamily.values())) {
                    errors.add(new Problem.FieldError(at + "/modelFamily", "one of " + Arrays.toString(ModelFamily.values())));
                }
                if (!isOneOf(r.tier(), Tier.values())) {
                    errors.add(new Problem.FieldError(at + "/tier", "one of " + Arrays.toString(Tier.values())));
                }
                if (!isOneOf(r.audioMode(), AudioMode.values())) {
                    errors.add(new Problem.FieldError(at + "/audioMode", "one of " + Arrays.toString(AudioMode.values())));
                }
                if (r.microsPerSecond() <= 0) {
                    errors.add(new Problem.FieldError(at + "/microsPerSecond",
                            "a positive integer of micro-dollars per second (leave a combination out to refuse it)"));
                }
                if (!seen.add(r.modelFamily() + "/" + r.tier() + "/" + r.audioMode())) {
                    errors.add(new Problem.FieldError(at, "a second rate for the same family, tier and audio mode"));
                }
            }
        }
        if (!errors.isEmpty()) {
            throw ProblemException.invalid(errors);
        }
    }

    private static boolean isOneOf(String value, Enum<?>[] values) {
        return value != null && Arrays.stream(values).anyMatch(v -> v.name().equals(value));
    }
}
