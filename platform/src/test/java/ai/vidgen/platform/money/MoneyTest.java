package ai.vidgen.platform.money;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MoneyTest {

    @Test
    void showsCentsAndEveryMicroDollarButNeverRounds() {
        assertThat(Money.format(1_120_000)).isEqualTo("1.12");
        assertThat(Money.format(1_000_000)).isEqualTo("1.00");
        assertThat(Money.format(1_234_567)).isEqualTo("1.234567");
        assertThat(Money.format(0)).isEqualTo("0.00");
        assertThat(Money.format(-350_000)).isEqualTo("-0.35");
        assertThat(Money.format(1)).isEqualTo("0.000001");
    }
}
