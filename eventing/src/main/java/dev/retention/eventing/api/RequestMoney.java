package dev.retention.eventing.api;

import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.Violations;

import java.math.BigDecimal;

/**
 * The contracts' money rules for an amount in a request body, which a {@link Money} record read by Jackson does not
 * hold by itself: what the contracts' {@code amount} pattern admits (not negative, up to 15 digits before the point and
 * 4 after, no exponent) and a currency the contracts list. A refusal names the field as the client sent it.
 */
public final class RequestMoney {

    private RequestMoney() {
    }

    /** @param field the money's path in the body, e.g. {@code orderValue} */
    public static void check(String field, Money money) {
        if (money == null) {
            return;
        }
        BigDecimal amount = money.amount();
        if (amount.signum() < 0 || amount.scale() < 0 || amount.scale() > 4 || amount.precision() - amount.scale() > 15) {
            throw ApiProblem.invalidField(field + ".amount", "must be a decimal string of up to 15 digits and "
                    + "4 decimals, not negative, such as \"25.00\"; was " + amount);
        }
        if (!Violations.isListedCurrency(money.currency())) {
            throw ApiProblem.invalidField(field + ".currency", "not an ISO 4217 currency: '" + money.currency() + "'");
        }
    }
}
