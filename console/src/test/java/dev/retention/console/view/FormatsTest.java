package dev.retention.console.view;

import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.YearMonth;
import java.time.format.DateTimeFormatter;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Figures as an English (en-GB) and a German (de-DE) user read them. Expected texts come from the JDK's own formats
 * for the locale where the JDK decides the spacing (CLDR puts a no-break space before the German euro sign).
 */
class FormatsTest {

    private static final Locale EN_GB = Locale.forLanguageTag("en-GB");
    private static final Locale DE_DE = Locale.forLanguageTag("de-DE");
    private final Formats english = new Formats(EN_GB);
    private final Formats german = new Formats(DE_DE);

    @Test
    void moneyIsWrittenAsEachLocaleWritesIt() {
        assertThat(english.money(new BigDecimal("1234.5"), "EUR")).isEqualTo("€1,234.50");
        assertThat(german.money("1234.5", "EUR")).isEqualTo(currency(DE_DE, "EUR").format(new BigDecimal("1234.50")))
                .startsWith("1.234,50").endsWith("€");
        assertThat(english.money("1234.5", "GBP")).isEqualTo("£1,234.50");
        assertThat(english.money(12, "JPY")).contains("12").doesNotContain(".");
    }

    @Test
    void moneyKeepsMoreDecimalsThanTheCurrencyHasRatherThanRoundingThemAway() {
        assertThat(english.money("0.125", "EUR")).isEqualTo("€0.125");
        assertThat(german.money("0.125", "EUR")).startsWith("0,125");
    }

    @Test
    void anUnknownCurrencyShowsTheAmountAndTheCode() {
        assertThat(english.money("1234.5", "XYZ")).isEqualTo("1,234.5 XYZ");
        assertThat(german.money("1234.5", "points")).isEqualTo("1.234,5 points");
    }

    @Test
    void aMissingCurrencyShowsTheAmountAlone() {
        assertThat(english.money("1234.5", null)).isEqualTo("1,234.5");
    }

    @Test
    void missingOrUnreadableFiguresShowADash() {
        for (Formats formats : new Formats[] {english, german}) {
            assertThat(formats.number(null)).isEqualTo("–");
            assertThat(formats.number("not a number")).isEqualTo("–");
            assertThat(formats.money(null, "EUR")).isEqualTo("–");
            assertThat(formats.percent(null)).isEqualTo("–");
            assertThat(formats.points(null)).isEqualTo("–");
            assertThat(formats.signed(null)).isEqualTo("–");
            assertThat(formats.date(null)).isEqualTo("–");
            assertThat(formats.month(null)).isEqualTo("–");
        }
    }

    @Test
    void numbersGroupThousandsAsTheLocaleDoes() {
        assertThat(english.number(1234567)).isEqualTo("1,234,567");
        assertThat(german.number(1234567)).isEqualTo("1.234.567");
        assertThat(english.number(new BigDecimal("1234.5"))).isEqualTo("1,234.5");
        assertThat(german.number(1234.5)).isEqualTo("1.234,5");
        assertThat(german.number("2500")).isEqualTo(NumberFormat.getNumberInstance(DE_DE).format(2500));
    }

    @Test
    void signedValuesSayTheirDirection() {
        assertThat(english.signed(80)).isEqualTo("+80");
        assertThat(english.signed(-1200)).isEqualTo("−1,200");
        assertThat(german.signed(-1200)).isEqualTo("−1.200");
        assertThat(german.signed(new BigDecimal("2.5"))).isEqualTo("+2,5");
        assertThat(english.signed(0)).isEqualTo("0");
    }

    @Test
    void percentagesHaveOneDecimal() {
        assertThat(english.percent(new BigDecimal("0.125"))).isEqualTo("12.5%");
        assertThat(german.percent("0.125")).isEqualTo(percent(DE_DE).format(0.125)).startsWith("12,5").endsWith("%");
        assertThat(english.percent(1)).isEqualTo("100.0%");
    }

    @Test
    void differencesOfRatesAreInPercentagePoints() {
        assertThat(english.points(new BigDecimal("0.031"))).isEqualTo("+3.1 pp");
        assertThat(german.points("0.031")).isEqualTo("+3,1 pp");
        assertThat(english.points(-0.0126)).isEqualTo("−1.3 pp");
        assertThat(german.points(0)).isEqualTo("0,0 pp");
    }

    @Test
    void datesAndTimesAreInTheLocalesMediumFormAndTimesInUtc() {
        assertThat(english.date("2026-03-05")).isEqualTo("5 Mar 2026")
                .isEqualTo(LocalDate.of(2026, 3, 5).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(EN_GB)));
        assertThat(german.date("2026-03-05")).isEqualTo("05.03.2026");
        // 23:30 in UTC is already the next day in Berlin: the console shows UTC and says so.
        assertThat(german.date("2026-03-05T23:30:00Z")).isEqualTo(LocalDateTime.of(2026, 3, 5, 23, 30)
                .format(DateTimeFormatter.ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(DE_DE)) + " UTC")
                .startsWith("05.03.2026");
        assertThat(english.date("2026-03-05T23:30:00.123456Z")).startsWith("5 Mar 2026").contains("23:30").endsWith(" UTC");
        assertThat(english.date("yesterday")).isEqualTo("yesterday");
    }

    @Test
    void monthsAreNamedInTheUsersLanguage() {
        assertThat(english.month("2026-03")).isEqualTo(YearMonth.of(2026, 3).format(DateTimeFormatter.ofPattern("MMM yyyy", EN_GB)))
                .contains("Mar").contains("2026");
        assertThat(german.month("2026-03")).contains("Mär").contains("2026");
        assertThat(german.month("March")).isEqualTo("March");
    }

    @Test
    void aDateTimeInputTakesUtcToTheMinute() {
        assertThat(Formats.inputDateTime(java.time.Instant.parse("2026-03-05T23:30:45.5Z"))).isEqualTo("2026-03-05T23:30");
    }

    private static NumberFormat currency(Locale locale, String code) {
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        format.setCurrency(Currency.getInstance(code));
        return format;
    }

    private static NumberFormat percent(Locale locale) {
        NumberFormat format = NumberFormat.getPercentInstance(locale);
        format.setMinimumFractionDigits(1);
        return format;
    }
}
