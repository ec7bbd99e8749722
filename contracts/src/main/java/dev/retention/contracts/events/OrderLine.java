package dev.retention.contracts.events;

import java.math.BigDecimal;

/** One line of an order. {@code lineTotal} is what the customer paid for the line, after line discounts. */
public record OrderLine(String lineId, String sku, int quantity, BigDecimal unitPrice, BigDecimal lineTotal) {
}
