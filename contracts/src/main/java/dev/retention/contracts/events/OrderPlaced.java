package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/**
 * {@code order.placed} on {@code orders}. All amounts are in {@code currency}. {@code merchandiseTotal} is the paid
 * value of the lines after discounts, without shipping and without tax; {@code orderTotal} is merchandise plus
 * shipping plus tax; {@code discountTotal} is for information (already taken off the lines);
 * {@code pointsRedeemedValue} is the part of the merchandise paid with {@code pointsRedeemed} loyalty points.
 * {@code vouchers} (optional, added compatibly) lists the voucher codes the order used, as the customer typed them:
 * campaign-service redeems them from this event, and publishes a code it cannot apply as {@code voucher.rejected}.
 * {@code cartId} (optional, added compatibly) names the cart the order was placed from: it closes the cart, so no
 * cart reminder follows.
 */
public record OrderPlaced(
        String orderId,
        Instant placedAt,
        String channel,
        String currency,
        List<OrderLine> lines,
        BigDecimal merchandiseTotal,
        BigDecimal shippingTotal,
        BigDecimal taxTotal,
        BigDecimal discountTotal,
        BigDecimal orderTotal,
        long pointsRedeemed,
        BigDecimal pointsRedeemedValue,
        List<String> vouchers,
        String cartId) implements EventData {

    public OrderPlaced {
        vouchers = vouchers == null || vouchers.isEmpty() ? null : List.copyOf(vouchers);
    }

    /** An order from no known cart. */
    public OrderPlaced(String orderId, Instant placedAt, String channel, String currency, List<OrderLine> lines,
                       BigDecimal merchandiseTotal, BigDecimal shippingTotal, BigDecimal taxTotal,
                       BigDecimal discountTotal, BigDecimal orderTotal, long pointsRedeemed,
                       BigDecimal pointsRedeemedValue, List<String> vouchers) {
        this(orderId, placedAt, channel, currency, lines, merchandiseTotal, shippingTotal, taxTotal, discountTotal,
                orderTotal, pointsRedeemed, pointsRedeemedValue, vouchers, null);
    }

    /** An order without vouchers. */
    public OrderPlaced(String orderId, Instant placedAt, String channel, String currency, List<OrderLine> lines,
                       BigDecimal merchandiseTotal, BigDecimal shippingTotal, BigDecimal taxTotal,
                       BigDecimal discountTotal, BigDecimal orderTotal, long pointsRedeemed,
                       BigDecimal pointsRedeemedValue) {
        this(orderId, placedAt, channel, currency, lines, merchandiseTotal, shippingTotal, taxTotal, discountTotal,
                orderTotal, pointsRedeemed, pointsRedeemedValue, null, null);
    }

    /** The voucher codes used, none when absent. */
    public List<String> voucherCodes() {
        return vouchers == null ? List.of() : vouchers;
    }

    @Override
    public List<FieldViolation> violations() {
        Violations v = new Violations().amount("$.data.merchandiseTotal", merchandiseTotal, currency)
                .amount("$.data.shippingTotal", shippingTotal, currency)
                .amount("$.data.taxTotal", taxTotal, currency)
                .amount("$.data.discountTotal", discountTotal, currency)
                .amount("$.data.orderTotal", orderTotal, currency)
                .amount("$.data.pointsRedeemedValue", pointsRedeemedValue, currency)
                .check(pointsRedeemedValue == null || merchandiseTotal == null
                                || pointsRedeemedValue.compareTo(merchandiseTotal) <= 0,
                        "$.data.pointsRedeemedValue", "exceeds merchandiseTotal");
        for (int i = 0; i < lines.size(); i++) {
            v.amount("$.data.lines[" + i + "].unitPrice", lines.get(i).unitPrice(), currency)
                    .amount("$.data.lines[" + i + "].lineTotal", lines.get(i).lineTotal(), currency);
        }
        return v.list();
    }
}
