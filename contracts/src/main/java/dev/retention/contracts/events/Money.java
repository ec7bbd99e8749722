package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.util.Objects;

/** An amount with its ISO 4217 currency. On the wire the amount is a decimal string, never a float. */
public record Money(BigDecimal amount, String currency) {

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }
}
