package dev.retention.console.session;

import org.junit.jupiter.api.Test;

import java.util.Locale;

import static org.assertj.core.api.Assertions.assertThat;

/** The console speaks the first of the browser's languages it knows, German or English, else English. */
class LocaleOfTest {

    @Test
    void theFirstKnownLanguageWinsKeepingItsRegion() {
        assertThat(SessionFilter.localeOf("de-DE,de;q=0.9,en;q=0.8")).isEqualTo(Locale.forLanguageTag("de-DE"));
        assertThat(SessionFilter.localeOf("en-GB,en;q=0.9")).isEqualTo(Locale.forLanguageTag("en-GB"));
        assertThat(SessionFilter.localeOf("de")).isEqualTo(Locale.GERMAN);
    }

    @Test
    void qualityValuesDecideNotTheOrderOfTheHeader() {
        assertThat(SessionFilter.localeOf("en;q=0.5, de-AT;q=0.9")).isEqualTo(Locale.forLanguageTag("de-AT"));
        assertThat(SessionFilter.localeOf("de;q=0.1,en-GB;q=0.8")).isEqualTo(Locale.forLanguageTag("en-GB"));
    }

    @Test
    void unknownLanguagesAreSkipped() {
        assertThat(SessionFilter.localeOf("fr-FR,fr;q=0.9,de;q=0.5")).isEqualTo(Locale.GERMAN);
        assertThat(SessionFilter.localeOf("fr-FR,ja")).isEqualTo(Locale.ENGLISH);
        assertThat(SessionFilter.localeOf("*")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void aMissingOrMalformedHeaderMeansEnglish() {
        assertThat(SessionFilter.localeOf(null)).isEqualTo(Locale.ENGLISH);
        assertThat(SessionFilter.localeOf("  ")).isEqualTo(Locale.ENGLISH);
        assertThat(SessionFilter.localeOf("de;q=abc")).isEqualTo(Locale.ENGLISH);
        assertThat(SessionFilter.localeOf(";;;===")).isEqualTo(Locale.ENGLISH);
        assertThat(SessionFilter.localeOf("this is not a language range")).isEqualTo(Locale.ENGLISH);
    }

    @Test
    void aLanguageExcludedWithQualityZeroIsNotChosen() {
        assertThat(SessionFilter.localeOf("de;q=0")).isEqualTo(Locale.ENGLISH);
        assertThat(SessionFilter.localeOf("fr, de;q=0")).isEqualTo(Locale.ENGLISH);
    }
}
