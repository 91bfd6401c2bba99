package dev.surge.events;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MoneyTests {

    @ParameterizedTest
    @ValueSource(strings = {"eur", "Eur", "EU", "EURO", "E1R", "", " EUR"})
    void rejectsACurrencyThatIsNotThreeUpperCaseLetters(String currency) {
        assertThatIllegalArgumentException()
                .isThrownBy(() -> new Money(1_999, currency))
                .withMessageContaining("ISO 4217");
    }

    @Test
    void rejectsAMissingCurrency() {
        assertThatNullPointerException().isThrownBy(() -> new Money(1_999, null));
    }

    @Test
    void keepsTheAmountInMinorUnits() {
        Money price = new Money(1_999, "EUR");

        assertThat(price.amount()).isEqualTo(1_999L);
        assertThat(price.currency()).isEqualTo("EUR");
    }
}
