package ai.vidgen.billing.service;

import ai.vidgen.billing.domain.ConflictException;
import ai.vidgen.billing.persistence.PriceBookRepository;
import ai.vidgen.billing.persistence.PriceBookRepository.Version;
import ai.vidgen.billing.persistence.PriceBookRepository.VersionRate;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import java.time.Instant;
import java.util.List;

/**
 * The versions of the price book. A new version takes effect at its date, without a redeploy;
 * an existing version is never changed, so every ledger row keeps the price it was charged at.
 */
@ApplicationScoped
public class PriceBooks {

    private final Pool pool;
    private final PriceBookRepository priceBooks;

    public PriceBooks(Pool pool, PriceBookRepository priceBooks) {
        this.pool = pool;
        this.priceBooks = priceBooks;
    }

    /** Every version, oldest first, with its rates. */
    public Uni<List<Version>> versions() {
        return priceBooks.versions(pool);
    }

    /**
     * Adds a version that takes effect after the latest one. Additions are serialised by a lock,
     * so two cannot both pass the "after the latest" check.
     *
     * @return the version as stored; fails with {@link ConflictException} {@code not_after_latest}
     *         or {@code version_exists} (versions are never changed)
     */
    public Uni<Version> add(String version, Instant effectiveFrom, String source, List<VersionRate> rates) {
        return pool.withTransaction(tx -> priceBooks.lockForAddition(tx)
                        .chain(() -> priceBooks.latestEffectiveFrom(tx))
                        .chain(latest -> {
                            if (latest.isPresent() && !effectiveFrom.isAfter(latest.get())) {
                                throw new ConflictException("not_after_latest",
                                        "a new version must take effect after the latest one (" + latest.get() + ")");
                            }
                            return priceBooks.insert(tx, version, effectiveFrom, source, rates);
                        }))
                .chain(inserted -> {
                    if (!inserted) {
                        throw new ConflictException("version_exists",
                                "price book version " + version + " exists and is never changed");
                    }
                    return versions();
                })
                .map(all -> all.stream().filter(v -> v.version().equals(version)).findFirst().orElseThrow());
    }
}
