package dev.retention.points.domain;

import java.math.BigDecimal;

/** Redeem {@code points}, optionally for an order of {@code orderValue} in {@code currency}. */
public record RedemptionRequest(long points, String orderId, BigDecimal orderValue, String currency) {
}
