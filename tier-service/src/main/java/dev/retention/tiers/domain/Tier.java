package dev.retention.tiers.domain;

import java.math.BigDecimal;

/** One rung of the ladder: reached at {@code threshold} qualifying spend (base currency). */
public record Tier(String name, BigDecimal threshold, BigDecimal multiplier, String benefitsKey) {
}
