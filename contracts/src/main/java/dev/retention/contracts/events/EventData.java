package dev.retention.contracts.events;

import java.util.List;

/**
 * The {@code data} of a CloudEvent. Implementations are records; they check what a JSON Schema cannot. Sealed, so
 * that a service's {@code switch} over an event's data names every type or does not compile: a new event type
 * cannot be passed over silently.
 */
public sealed interface EventData permits CustomerProfile, CustomerErased, NotificationOutcome, OrderCancelled,
        OrderPlaced, OrderReturned, PointsChanged, PointsExpiring, ReviewSubmitted, ShipmentDelayed, ShipmentDelivered,
        ShipmentDeliveryFailed, ShipmentDispatched, TierChanged, TierDowngradeAtRisk, TriggerFired, ProgrammePublished,
        RewardRedemptionRequested, RewardIssued, RewardIssueFailed, VoucherRedeemed, VoucherRejected, VoucherReleased,
        ProductUpdated, CartUpdated, CheckoutStarted, FeedbackSubmitted, FeedbackRecorded, ServiceRecoveryRequested,
        TriggerHeldOut, InsightsSnapshot {

    /** Rules beyond the JSON Schema (known currency, amount precision). Empty when the data is valid. */
    default List<FieldViolation> violations() {
        return List.of();
    }
}
