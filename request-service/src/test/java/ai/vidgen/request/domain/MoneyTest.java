package ai.vidgen.request.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ai.vidgen.platform.money.Money;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MoneyTest {

    @ParameterizedTest
    @CsvSource({
            "1120000, 1.12",
            "1000000, 1.00",
            "1680000, 1.68",
            "1234567, 1.234567",
            "5040000, 5.04",
            "0, 0.00",
            "1, 0.000001",
            "100000, 0.10",
            "123000000, 123.00"})
    void rendersMicroDollarsExactly(long micros, String text) {
        assertEquals(text, Money.format(micros));
    }
}
