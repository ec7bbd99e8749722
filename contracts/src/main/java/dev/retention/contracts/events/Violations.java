package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Currency;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Collects the field checks that JSON Schema cannot express, such as an amount's decimals against its currency's minor
 * units. The schema's enum decides which currencies exist; this JVM's currency data only bounds the decimals.
 */
public final class Violations {

    private static final Set<String> ISO_CURRENCIES =
            Currency.getAvailableCurrencies().stream().map(Currency::getCurrencyCode).collect(Collectors.toUnmodifiableSet());

    private final List<FieldViolation> found = new ArrayList<>();

    /** The currencies the contracts list (the enum of {@code schemas/common.json}), whatever this JVM knows. */
    private static final Set<String> LISTED_CURRENCIES = listedCurrencies();

    public static boolean isKnownCurrency(String code) {
        return code != null && ISO_CURRENCIES.contains(code);
    }

    /** A currency the contracts admit: an API takes what an event may carry, even if this JVM has no data for it. */
    public static boolean isListedCurrency(String code) {
        return code != null && LISTED_CURRENCIES.contains(code);
    }

    private static Set<String> listedCurrencies() {
        try (java.io.InputStream in = Violations.class.getResourceAsStream("/schemas/common.json")) {
            Set<String> codes = new java.util.HashSet<>();
            new com.fasterxml.jackson.databind.ObjectMapper().readTree(in).at("/$defs/currency/enum")
                    .forEach(code -> codes.add(code.textValue()));
            if (codes.isEmpty()) {
                throw new IllegalStateException("schemas/common.json lists no currencies");
            }
            return Set.copyOf(codes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException("cannot read schemas/common.json", e);
        }
    }

    /** An amount may not carry more decimals than its currency has minor units (no 10.005 EUR, no 10.5 JPY). */
    public Violations amount(String field, BigDecimal amount, String currencyCode) {
        if (amount == null || !isKnownCurrency(currencyCode)) {
            return this;
        }
        int minorUnits = Currency.getInstance(currencyCode).getDefaultFractionDigits();
        if (minorUnits >= 0 && amount.stripTrailingZeros().scale() > minorUnits) {
            found.add(new FieldViolation(field,
                    "amount " + amount.toPlainString() + " has more than " + minorUnits + " decimals for " + currencyCode));
        }
        return this;
    }

    public Violations money(String field, Money money) {
        if (money != null) {
            amount(field + ".amount", money.amount(), money.currency());
        }
        return this;
    }

    public Violations check(boolean ok, String field, String problem) {
        if (!ok) {
            found.add(new FieldViolation(field, problem));
        }
        return this;
    }

    public List<FieldViolation> list() {
        return List.copyOf(found);
    }
}
