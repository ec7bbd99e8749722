package dev.retention.contracts.events;

import java.time.Instant;

/** {@code review.submitted} on {@code reviews}: a rating from 1 to 5 for a product of an order. */
public record ReviewSubmitted(
        String reviewId,
        String orderId,
        String sku,
        int rating,
        boolean verifiedPurchase,
        Instant submittedAt) implements EventData {
}
