package ai.vidgen.billing.domain;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Renders integer micro-dollars for people; computation never leaves {@code long}. */
public final class Money {
    private Money() {
    }

    /** {@code 1120000 → "$1.12"}, {@code 1234567 → "$1.234567"}. */
    public static String format(long micros) {
        return "$" + decimal(micros).toPlainString();
    }

    /** At least two decimals, at most six, never a rounding. */
    public static BigDecimal decimal(long micros) {
        BigDecimal exact = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return exact.scale() < 2 ? exact.setScale(2, RoundingMode.UNNECESSARY) : exact;
    }
}
