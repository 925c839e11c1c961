package ai.vidgen.request.domain;

import java.math.BigDecimal;

/** Renders integer micro-dollars as text; arithmetic stays in {@code long} micro-dollars. */
public final class Money {

    public static final String CURRENCY = "USD";

    private Money() {
    }

    /**
     * {@code 1120000} → {@code "1.12"}, {@code 1000000} → {@code "1.00"}, {@code 1234567} →
     * {@code "1.234567"}: exact, without trailing zeros beyond the cents a reader expects.
     */
    public static String format(long micros) {
        BigDecimal amount = BigDecimal.valueOf(micros, 6).stripTrailingZeros();
        if (amount.scale() < 2) {
            amount = amount.setScale(2);
        }
        return amount.toPlainString();
    }
}
