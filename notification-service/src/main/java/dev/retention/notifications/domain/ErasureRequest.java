package dev.retention.notifications.domain;

import dev.retention.contracts.EventIds;

import java.time.Instant;

/**
 * An admin's request to erase a customer (GDPR "right to be forgotten"), made through the API: who asked, when and
 * why, and the id of the {@code customer.erased} it published. {@code reason} is an audit note, never personal data.
 */
public record ErasureRequest(String customerId, String eventId, Instant requestedAt, String requestedBy,
                             String reason) {

    /** Where the event says it comes from: the admin API, not the shop. */
    public static final String SOURCE = "/notification-service/erasure-api";

    /**
     * The id of the {@code customer.erased} the API publishes for this customer: derived from the customer id alone,
     * so every replica and every repeated request names the same event, and consumers' inboxes absorb a copy.
     */
    public static String eventIdFor(String customerId) {
        return EventIds.derive(customerId, "erasure");
    }
}
