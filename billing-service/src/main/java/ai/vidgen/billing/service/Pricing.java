package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.AudioMode;
import ai.vidgen.billing.domain.NoPriceException;
import ai.vidgen.billing.domain.Quote;
import ai.vidgen.billing.persistence.PriceBookRepository;
import ai.vidgen.events.GenerationSpec;
import ai.vidgen.events.catalog.KlingEndpoint;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlClient;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Clock;
import java.time.Instant;

/** Prices a generation under the price book version in effect at a given instant. */
@ApplicationScoped
public class Pricing {

    private final Pool pool;
    private final PriceBookRepository priceBooks;
    private final Clock clock = Clock.systemUTC();

    public Pricing(Pool pool, PriceBookRepository priceBooks) {
        this.pool = pool;
        this.priceBooks = priceBooks;
    }

    /** What a generation would cost if accepted now; reserves nothing. */
    public Uni<Quote> estimate(GenerationSpec spec) {
        return quote(pool, spec, clock.instant());
    }

    /**
     * Prices within the caller's transaction (a reservation quotes under its budget lock).
     *
     * @throws NoPriceException (as the Uni's failure) for an unknown endpoint or a combination the
     *                          price book in effect does not price
     */
    Uni<Quote> quote(SqlClient client, GenerationSpec spec, Instant at) {
        KlingEndpoint endpoint = KlingEndpoint.byId(spec.endpointId()).orElse(null);
        if (endpoint == null) {
            return Uni.createFrom().failure(new NoPriceException("unknown endpoint " + spec.endpointId()));
        }
        if (!endpoint.producesVideo()) {
            // fal prices images per image, and the price book has per-second video rates only.
            return Uni.createFrom().failure(new NoPriceException(endpoint.id()
                    + " is priced per image; the price book has no image prices"));
        }
        if (spec.seconds() <= 0) {
            return Uni.createFrom().failure(new IllegalArgumentException("seconds must be positive"));
        }
        AudioMode mode = AudioMode.of(spec);
        return priceBooks.rateAt(client, at, endpoint.family().name(), endpoint.tier().name(), mode)
                .map(rate -> rate.map(r -> Quote.of(spec, spec.seconds(), r.microsPerSecond(), r.version()))
                        .orElseThrow(() -> new NoPriceException("no price for " + endpoint.id() + " ("
                                + endpoint.family() + " " + endpoint.tier() + ", audio " + mode
                                + ") in the price book in effect at " + at)));
    }
}
