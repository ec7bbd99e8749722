package dev.retention.contracts.events;

import java.math.BigDecimal;

/**
 * One line of an order. {@code lineTotal} is what the customer paid for the line, after line discounts.
 * {@code category} is optional (the shop's own product category, for earning rules); absent on older events.
 */
public record OrderLine(String lineId, String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal,
                        String category) {

    public OrderLine(String lineId, String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
        this(lineId, sku, quantity, unitPrice, lineTotal, null);
    }
}
