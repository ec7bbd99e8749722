package dev.retention.contracts.events;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;

/** {@code order.returned} on {@code orders}: a full or partial return; {@code refundedAmount} is merchandise value. */
public record OrderReturned(
        String orderId,
        String returnId,
        Instant returnedAt,
        String currency,
        List<ReturnedLine> lines,
        BigDecimal refundedAmount) implements EventData {

    @Override
    public List<FieldViolation> violations() {
        return new Violations().amount("$.data.refundedAmount", refundedAmount, currency)
                .list();
    }
}
