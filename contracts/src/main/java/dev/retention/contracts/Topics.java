package dev.retention.contracts;

import java.util.List;

/** Every topic of the platform. Record key is always the customer id. */
public final class Topics {

    public static final String ORDERS = "orders";
    public static final String SHIPMENTS = "shipments";
    public static final String REVIEWS = "reviews";
    public static final String CUSTOMERS = "customers";
    /** The shop's carts: {@code cart.updated}, {@code checkout.started} (cart reminders). */
    public static final String CARTS = "carts";
    /** The shop's feedback answers ({@code feedback.submitted}). */
    public static final String FEEDBACK = "feedback";

    public static final String LOYALTY_POINTS = "loyalty.points";
    public static final String LOYALTY_TIER_CHANGES = "loyalty.tier-changes";
    public static final String RETENTION_TRIGGERS = "retention.triggers";
    public static final String RETENTION_NOTIFICATIONS = "retention.notifications";
    /**
     * Compacted; the one topic whose record key is not a customer id but a programme id: each record carries every
     * version of that programme (programme-service).
     */
    public static final String RETENTION_PROGRAMME = "retention.programme";
    /**
     * For the shop's helpdesk, not for analysts: a detractor's service recovery, with the comment where the shop's
     * configuration allows it (campaign-service).
     */
    public static final String RETENTION_HELPDESK = "retention.helpdesk";
    /**
     * insights-service's daily snapshot of each measure; keyed by the measure, not by a customer id: aggregates only.
     */
    public static final String RETENTION_INSIGHTS = "retention.insights";

    /**
     * Compacted; keyed by SKU, not by customer id: the latest record of a key is the product (its name, link and
     * stock, for the recommendations in messages).
     */
    public static final String PRODUCTS = "products";

    public static final List<String> INPUT = List.of(ORDERS, SHIPMENTS, REVIEWS, CUSTOMERS, PRODUCTS, CARTS, FEEDBACK);
    public static final List<String> OUTPUT =
            List.of(LOYALTY_POINTS, LOYALTY_TIER_CHANGES, RETENTION_TRIGGERS, RETENTION_NOTIFICATIONS, RETENTION_PROGRAMME,
                    RETENTION_HELPDESK, RETENTION_INSIGHTS);

    private Topics() {
    }

    /**
     * Dead letters are kept per consumer group, so that two services reading the same topic do not mix their
     * rejects and each can drain or replay its own.
     */
    public static String deadLetterTopic(String sourceTopic, String consumerGroup) {
        return sourceTopic + "." + consumerGroup + ".dlq";
    }
}
