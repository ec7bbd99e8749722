package dev.retention.tiers.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What an order counts towards the tier: its paid merchandise value in the base currency, less refunds, nothing
 * once cancelled; counted from {@code placedAt} until it leaves the rolling window.
 */
public record QualifyingOrder(String orderId, Instant placedAt, BigDecimal value, BigDecimal refunded,
                              boolean cancelled) {

    public BigDecimal net() {
        return cancelled ? BigDecimal.ZERO : value.subtract(refunded).max(BigDecimal.ZERO);
    }
}
