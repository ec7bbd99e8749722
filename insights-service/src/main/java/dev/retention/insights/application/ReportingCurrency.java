package dev.retention.insights.application;

import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.CurrencySettings;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;

/**
 * Money in the programme's reporting currency, by the exchange rates and point value of the programme version in
 * force at the time in question (the built-in programme before the first version).
 */
@ApplicationScoped
public class ReportingCurrency {

    private static final ProgrammeDocument BUILT_IN = ProgrammeJson.initial();

    private final ProgrammeVersions versions;
    private final Counter unknownCurrency;

    public ReportingCurrency(ProgrammeVersions versions, MeterRegistry registry) {
        this.versions = versions;
        this.unknownCurrency = Counter.builder("retention.insights.amounts.unknown.currency")
                .description("Amounts in a currency the programme has no exchange rate for, counted as 0")
                .register(registry);
    }

    public ProgrammeDocument programmeAt(Instant at) {
        return versions.inForceAt(at).map(ProgrammeVersion::document).orElse(BUILT_IN);
    }

    /** The amount in the reporting currency; 0 (and counted) for a currency the programme does not know. */
    public BigDecimal convert(BigDecimal amount, String currency, Instant at) {
        if (amount == null) {
            return BigDecimal.ZERO;
        }
        CurrencySettings settings = programmeAt(at).currencies().get(currency);
        if (settings == null || settings.exchangeRate() == null) {
            unknownCurrency.increment();
            return BigDecimal.ZERO;
        }
        return amount.multiply(settings.exchangeRate()).setScale(4, RoundingMode.HALF_EVEN);
    }

    public String code(Instant at) {
        return programmeAt(at).reportingCurrency();
    }

    /** What a point is worth in the reporting currency at {@code at}. */
    public BigDecimal pointValue(Instant at) {
        ProgrammeDocument programme = programmeAt(at);
        CurrencySettings settings = programme.currencies().get(programme.reportingCurrency());
        return settings == null ? BigDecimal.ZERO : settings.pointValue();
    }
}
