package dev.retention.contracts.events;

import com.fasterxml.jackson.annotation.JsonFormat;

import java.math.BigDecimal;
import java.util.Objects;

/**
 * An amount with its ISO 4217 currency. On the wire, in events and in every API, the amount is a decimal string,
 * never a float.
 */
public record Money(@JsonFormat(shape = JsonFormat.Shape.STRING)
                    @com.fasterxml.jackson.databind.annotation.JsonDeserialize(using = DecimalString.class)
                    BigDecimal amount, String currency) {

    public Money {
        Objects.requireNonNull(amount, "amount");
        Objects.requireNonNull(currency, "currency");
    }

    public static Money of(String amount, String currency) {
        return new Money(new BigDecimal(amount), currency);
    }

    /**
     * Reads an amount only from a JSON string: a number ({@code 45.5}) is refused, not read as a float would be. The
     * event schemas refuse it before Jackson reads an event; for an API body this is the refusal.
     */
    public static final class DecimalString extends com.fasterxml.jackson.databind.JsonDeserializer<BigDecimal> {
        @Override
        public BigDecimal deserialize(com.fasterxml.jackson.core.JsonParser parser,
                                      com.fasterxml.jackson.databind.DeserializationContext context)
                throws java.io.IOException {
            if (!parser.hasToken(com.fasterxml.jackson.core.JsonToken.VALUE_STRING)) {
                return (BigDecimal) context.handleUnexpectedToken(BigDecimal.class, parser.currentToken(), parser,
                        "an amount is a decimal string such as \"45.00\", not a JSON number");
            }
            try {
                return new BigDecimal(parser.getText());
            } catch (NumberFormatException e) {
                return (BigDecimal) context.handleWeirdStringValue(BigDecimal.class, parser.getText(),
                        "not a decimal amount");
            }
        }
    }
}
