package ai.vidgen.billing.domain;

import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;

/** Budgets run per calendar month in UTC. */
public final class BillablePeriod {
    private BillablePeriod() {
    }

    public static Instant startOfMonth(Instant at) {
        return YearMonth.from(at.atZone(ZoneOffset.UTC)).atDay(1).atStartOfDay(ZoneOffset.UTC).toInstant();
    }
}
