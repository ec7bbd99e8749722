package dev.retention.points.domain;

import java.math.BigDecimal;
import java.time.Instant;

/**
 * What one order did to the points: earned (pending until released), reversed by returns or cancellation, points
 * redeemed on it and refunded. Events of an order may arrive in any order across topics (a delivery before the
 * order), so every field starts empty and fills in as events arrive.
 */
public final class OrderPoints {

    private final String orderId;
    private final String customerId;
    private boolean placed;
    private String currency;
    private BigDecimal merchandiseValue = BigDecimal.ZERO;
    private long earned;
    private long reversed;
    private BigDecimal refundedValue = BigDecimal.ZERO;
    private long redeemed;
    private long redemptionRefunded;
    private Instant placedAt;
    private Instant deliveredAt;
    private Instant releaseAt;
    private boolean released;
    private boolean cancelled;
    private boolean reviewRewarded;
    /** Eligible value × points per unit, before the tier multiplier; null for orders placed before it was kept. */
    private BigDecimal earningBase;
    /** The tier whose multiplier the earning used (null: none, 1x). */
    private String earningTier;
    /** What the earning rules gave the order, before the tier multiplier (re-rating keeps it). */
    private long rulePoints;
    /** What the earning was computed from, for a simulation; null for orders placed before it was kept. */
    private OrderFacts facts;

    public OrderPoints(String orderId, String customerId, boolean placed, String currency, BigDecimal merchandiseValue,
                       long earned, long reversed, BigDecimal refundedValue, long redeemed, long redemptionRefunded,
                       Instant placedAt, Instant deliveredAt, Instant releaseAt, boolean released, boolean cancelled,
                       boolean reviewRewarded, BigDecimal earningBase, String earningTier, long rulePoints,
                       OrderFacts facts) {
        this.orderId = orderId;
        this.customerId = customerId;
        this.placed = placed;
        this.currency = currency;
        this.merchandiseValue = merchandiseValue;
        this.earned = earned;
        this.reversed = reversed;
        this.refundedValue = refundedValue;
        this.redeemed = redeemed;
        this.redemptionRefunded = redemptionRefunded;
        this.placedAt = placedAt;
        this.deliveredAt = deliveredAt;
        this.releaseAt = releaseAt;
        this.released = released;
        this.cancelled = cancelled;
        this.reviewRewarded = reviewRewarded;
        this.earningBase = earningBase;
        this.earningTier = earningTier;
        this.rulePoints = rulePoints;
        this.facts = facts;
    }

    public static OrderPoints unknown(String orderId, String customerId) {
        return new OrderPoints(orderId, customerId, false, null, BigDecimal.ZERO, 0, 0, BigDecimal.ZERO, 0, 0, null,
                null, null, false, false, false, null, null, 0, null);
    }

    void placed(String currency, BigDecimal merchandiseValue, BigDecimal earningBase, long rulePoints,
                String earningTier, long earned, Instant placedAt, Instant releaseAt, OrderFacts facts) {
        this.rulePoints = rulePoints;
        this.facts = facts;
        this.placed = true;
        this.currency = currency;
        this.merchandiseValue = merchandiseValue;
        this.earningBase = earningBase;
        this.earningTier = earningTier;
        this.earned = earned;
        this.placedAt = placedAt;
        this.releaseAt = releaseAt;
    }

    /** Earned again under another tier; what returns reversed follows the new figure. */
    void rerated(String tier, long earned, long reversed) {
        this.earningTier = tier;
        this.earned = earned;
        this.reversed = reversed;
    }

    void redeemed(long points) {
        this.redeemed += points;
    }

    void delivered(Instant at, Instant releaseAt) {
        this.deliveredAt = at;
        this.releaseAt = releaseAt;
    }

    void reversed(long points) {
        this.reversed += points;
    }

    void refunded(BigDecimal value) {
        this.refundedValue = this.refundedValue.add(value);
    }

    void redemptionRefunded(long points) {
        this.redemptionRefunded += points;
    }

    void released() {
        this.released = true;
    }

    void cancelled() {
        this.cancelled = true;
    }

    void reviewRewarded() {
        this.reviewRewarded = true;
    }

    /** Earned points not yet reversed: pending before release, part of available after. */
    public long remaining() {
        return earned - reversed;
    }

    public String orderId() {
        return orderId;
    }

    public String customerId() {
        return customerId;
    }

    public boolean isPlaced() {
        return placed;
    }

    public String currency() {
        return currency;
    }

    public BigDecimal merchandiseValue() {
        return merchandiseValue;
    }

    public long earned() {
        return earned;
    }

    public long reversed() {
        return reversed;
    }

    public BigDecimal refundedValue() {
        return refundedValue;
    }

    public long redeemed() {
        return redeemed;
    }

    public long redemptionRefunded() {
        return redemptionRefunded;
    }

    public Instant placedAt() {
        return placedAt;
    }

    public Instant deliveredAt() {
        return deliveredAt;
    }

    public Instant releaseAt() {
        return releaseAt;
    }

    public boolean isReleased() {
        return released;
    }

    public boolean isCancelled() {
        return cancelled;
    }

    public boolean isReviewRewarded() {
        return reviewRewarded;
    }

    public BigDecimal earningBase() {
        return earningBase;
    }

    public String earningTier() {
        return earningTier;
    }

    public long rulePoints() {
        return rulePoints;
    }

    public OrderFacts facts() {
        return facts;
    }
}
