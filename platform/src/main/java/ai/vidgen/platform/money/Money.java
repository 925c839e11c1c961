package ai.vidgen.platform.money;

import java.math.BigDecimal;
import java.math.RoundingMode;

/**
 * Renders integer micro-dollars as text, the one way every service and tool does; arithmetic
 * stays in {@code long} micro-dollars. The currency is shown separately ({@link #CURRENCY}).
 */
public final class Money {

    public static final String CURRENCY = "USD";

    private Money() {
    }

    /**
     * {@code 1120000} → {@code "1.12"}, {@code 1000000} → {@code "1.00"}, {@code 1234567} →
     * {@code "1.234567"}: exact, at least the cents a reader expects, never rounded.
     */
    public static String format(long micros) {
        return decimal(micros).toPlainString();
    }

    /** The exact amount in dollars with at least two and at most six decimals. */
    public static BigDecimal decimal(long micros) {
        BigDecimal exact = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        return exact.scale() < 2 ? exact.setScale(2, RoundingMode.UNNECESSARY) : exact;
    }
}
