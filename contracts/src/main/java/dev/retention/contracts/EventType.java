package dev.retention.contracts;

import dev.retention.contracts.events.CartUpdated;
import dev.retention.contracts.events.CheckoutStarted;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.FeedbackRecorded;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.events.ServiceRecoveryRequested;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.InsightsSnapshot;

import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Every CloudEvent {@code type} of the platform, the topic it travels on and the record of its {@code data}.
 * An incompatible change gets a new wire name with a version suffix (for example {@code order.placed.v2}).
 */
public enum EventType {
    ORDER_PLACED("order.placed", Topics.ORDERS, OrderPlaced.class),
    ORDER_CANCELLED("order.cancelled", Topics.ORDERS, OrderCancelled.class),
    ORDER_RETURNED("order.returned", Topics.ORDERS, OrderReturned.class),
    SHIPMENT_DISPATCHED("shipment.dispatched", Topics.SHIPMENTS, ShipmentDispatched.class),
    SHIPMENT_DELAYED("shipment.delayed", Topics.SHIPMENTS, ShipmentDelayed.class),
    SHIPMENT_DELIVERED("shipment.delivered", Topics.SHIPMENTS, ShipmentDelivered.class),
    SHIPMENT_DELIVERY_FAILED("shipment.delivery-failed", Topics.SHIPMENTS, ShipmentDeliveryFailed.class),
    REVIEW_SUBMITTED("review.submitted", Topics.REVIEWS, ReviewSubmitted.class),
    CUSTOMER_REGISTERED("customer.registered", Topics.CUSTOMERS, CustomerRegistered.class),
    CUSTOMER_UPDATED("customer.updated", Topics.CUSTOMERS, CustomerUpdated.class),
    CUSTOMER_ERASED("customer.erased", Topics.CUSTOMERS, CustomerErased.class),
    POINTS_CHANGED("points.changed", Topics.LOYALTY_POINTS, PointsChanged.class),
    POINTS_EXPIRING("points.expiring", Topics.LOYALTY_POINTS, PointsExpiring.class),
    TIER_CHANGED("tier.changed", Topics.LOYALTY_TIER_CHANGES, TierChanged.class),
    TIER_DOWNGRADE_AT_RISK("tier.downgrade-at-risk", Topics.LOYALTY_TIER_CHANGES, TierDowngradeAtRisk.class),
    TRIGGER_FIRED("trigger.fired", Topics.RETENTION_TRIGGERS, TriggerFired.class),
    TRIGGER_HELD_OUT("trigger.held-out", Topics.RETENTION_TRIGGERS, TriggerHeldOut.class),
    NOTIFICATION_OUTCOME("notification.outcome", Topics.RETENTION_NOTIFICATIONS, NotificationOutcome.class),
    PROGRAMME_PUBLISHED("programme.published", Topics.RETENTION_PROGRAMME, ProgrammePublished.class),
    REWARD_REDEMPTION_REQUESTED("reward.redemption-requested", Topics.LOYALTY_POINTS, RewardRedemptionRequested.class),
    REWARD_ISSUED("reward.issued", Topics.RETENTION_TRIGGERS, RewardIssued.class),
    REWARD_ISSUE_FAILED("reward.issue-failed", Topics.RETENTION_TRIGGERS, RewardIssueFailed.class),
    VOUCHER_REDEEMED("voucher.redeemed", Topics.RETENTION_TRIGGERS, VoucherRedeemed.class),
    VOUCHER_REJECTED("voucher.rejected", Topics.RETENTION_TRIGGERS, VoucherRejected.class),
    VOUCHER_RELEASED("voucher.released", Topics.RETENTION_TRIGGERS, VoucherReleased.class),
    PRODUCT_UPDATED("product.updated", Topics.PRODUCTS, ProductUpdated.class),
    CART_UPDATED("cart.updated", Topics.CARTS, CartUpdated.class),
    CHECKOUT_STARTED("checkout.started", Topics.CARTS, CheckoutStarted.class),
    FEEDBACK_SUBMITTED("feedback.submitted", Topics.FEEDBACK, FeedbackSubmitted.class),
    FEEDBACK_RECORDED("feedback.recorded", Topics.RETENTION_TRIGGERS, FeedbackRecorded.class),
    SERVICE_RECOVERY_REQUESTED("service-recovery.requested", Topics.RETENTION_HELPDESK,
            ServiceRecoveryRequested.class),
    INSIGHTS_SNAPSHOT("insights.snapshot", Topics.RETENTION_INSIGHTS, InsightsSnapshot.class);

    private static final Map<String, EventType> BY_WIRE_NAME =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::wireName, Function.identity()));
    private static final Map<Class<?>, EventType> BY_DATA_CLASS =
            Arrays.stream(values()).collect(Collectors.toUnmodifiableMap(EventType::dataClass, Function.identity()));

    private final String wireName;
    private final String topic;
    private final Class<? extends EventData> dataClass;

    EventType(String wireName, String topic, Class<? extends EventData> dataClass) {
        this.wireName = wireName;
        this.topic = topic;
        this.dataClass = dataClass;
    }

    public String wireName() {
        return wireName;
    }

    public String topic() {
        return topic;
    }

    public Class<? extends EventData> dataClass() {
        return dataClass;
    }

    /** Classpath location of the JSON Schema of {@code data}. */
    public String schemaResource() {
        return "schemas/" + wireName + ".json";
    }

    public static Optional<EventType> fromWireName(String wireName) {
        return Optional.ofNullable(BY_WIRE_NAME.get(wireName));
    }

    public static EventType of(EventData data) {
        EventType type = BY_DATA_CLASS.get(data.getClass());
        if (type == null) {
            throw new IllegalArgumentException("no event type for " + data.getClass().getName());
        }
        return type;
    }
}
