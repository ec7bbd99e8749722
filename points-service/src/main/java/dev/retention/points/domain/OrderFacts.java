package dev.retention.points.domain;

import dev.retention.contracts.events.OrderLine;
import dev.retention.contracts.events.OrderPlaced;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * What an order's earning was computed from, beyond the columns every order keeps (currency, merchandise value,
 * placedAt): the fields {@link EarningRules} reads, kept with the order when it is placed, so that a simulation can
 * run the same rules again over stored history (docs/programme.md, "Simulation").
 *
 * @param channel             the order's channel
 * @param pointsRedeemedValue the part of the merchandise paid with points (it earns nothing)
 * @param rulesTier           the tier the earning rules' {@code tiers} condition judged (null: none known); a late
 *                            tier change re-rates the multiplier but does not decide the rules again
 * @param firstOrder          whether points-service had seen no order of the customer before
 * @param lines               the lines as the rules read them
 */
public record OrderFacts(String channel, BigDecimal pointsRedeemedValue, String rulesTier, boolean firstOrder,
                         List<Line> lines) {

    public OrderFacts {
        lines = lines == null ? List.of() : List.copyOf(lines);
    }

    /** A line as the rules read it: SKU and category choose it, its total is its value. */
    public record Line(String sku, String category, BigDecimal lineTotal) {
    }

    public static OrderFacts of(OrderPlaced placed, String rulesTier, boolean firstOrder) {
        List<Line> lines = new ArrayList<>(placed.lines() == null ? 0 : placed.lines().size());
        if (placed.lines() != null) {
            placed.lines().forEach(line -> lines.add(new Line(line.sku(), line.category(), line.lineTotal())));
        }
        return new OrderFacts(placed.channel(), placed.pointsRedeemedValue(), rulesTier, firstOrder, lines);
    }

    /** The order event again, with what the rules and the base rate read of it (the other fields are empty). */
    public OrderPlaced toOrderPlaced(String orderId, Instant placedAt, String currency, BigDecimal merchandiseTotal) {
        List<OrderLine> orderLines = new ArrayList<>(lines.size());
        for (Line line : lines) {
            orderLines.add(new OrderLine(null, line.sku(), 0, null, line.lineTotal(), line.category()));
        }
        return new OrderPlaced(orderId, placedAt, channel, currency, orderLines, merchandiseTotal, null, null, null,
                null, 0, pointsRedeemedValue == null ? BigDecimal.ZERO : pointsRedeemedValue);
    }
}
