package dev.retention.campaigns.domain;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The retention triggers: how each event changes what campaign-service knows, and which triggers it asks for.
 * Timers (overdue shipments, birthdays, win-back, review requests) are set here and fired by the {@code *Due}
 * methods the jobs call. Whether a trigger really fires (guards, once-only) is decided when it is issued.
 */
public class CampaignRules {

    private final CampaignPolicy policy;
    private final VoucherCodeGenerator codes;

    public CampaignRules(CampaignPolicy policy, VoucherCodeGenerator codes) {
        this.policy = policy;
        this.codes = codes;
    }

    public CampaignPolicy policy() {
        return policy;
    }

    public List<TriggerRequest> apply(EventEnvelope<?> event, CampaignState state, Instant now) {
        CustomerState customer = state.customer(event.customerId());
        List<TriggerRequest> requests = new ArrayList<>();
        Object data = event.data();
        if (data instanceof OrderPlaced placed) {
            orderPlaced(event.id(), placed, customer, state.order(placed.orderId(), customer.customerId), requests);
        } else if (data instanceof OrderCancelled cancelled) {
            OrderState order = state.order(cancelled.orderId(), customer.customerId);
            settle(customer, order, order.value.subtract(order.refunded));
            order.status = OrderState.Status.CANCELLED;
            order.reviewRequestDueAt = null;
        } else if (data instanceof OrderReturned returned) {
            OrderState order = state.order(returned.orderId(), customer.customerId);
            settle(customer, order, policy.toBase(returned.refundedAmount(), returned.currency())
                    .min(order.value.subtract(order.refunded)));
            order.status = OrderState.Status.RETURNED;
            order.reviewRequestDueAt = null;
        } else if (data instanceof ShipmentDispatched dispatched) {
            shipmentDispatched(event.id(), dispatched, customer, state);
        } else if (data instanceof ShipmentDelayed delayed) {
            ShipmentTimer timer = state.timer(delayed.shipmentId(), delayed.orderId(), customer.customerId);
            OrderState order = state.order(delayed.orderId(), customer.customerId);
            if (timer.state == ShipmentTimer.State.NEW || timer.state == ShipmentTimer.State.OPEN) {
                timer.close(ShipmentTimer.State.APOLOGISED);
                delayApology(customer, order, event.id(), "shipment " + delayed.shipmentId() + " reported delayed",
                        now).map(r -> r.with(Map.of("shipmentId", delayed.shipmentId(),
                        "newEstimatedDeliveryDate", String.valueOf(delayed.newEstimatedDeliveryDate()))))
                        .ifPresent(requests::add);
            }
        } else if (data instanceof ShipmentDelivered delivered) {
            state.timer(delivered.shipmentId(), delivered.orderId(), customer.customerId)
                    .close(ShipmentTimer.State.DELIVERED);
            OrderState order = state.order(delivered.orderId(), customer.customerId);
            if (order.deliveredAt == null) {
                order.deliveredAt = delivered.deliveredAt();
                order.deliveredEventId = event.id();
                if (policy.on(TriggerType.REVIEW_REQUEST) && order.standing() && !order.reviewed) {
                    order.reviewRequestDueAt = delivered.deliveredAt().plus(policy.reviewRequestAfter());
                }
            }
        } else if (data instanceof ShipmentDeliveryFailed failed) {
            state.timer(failed.shipmentId(), failed.orderId(), customer.customerId).close(ShipmentTimer.State.FAILED);
        } else if (data instanceof ReviewSubmitted review) {
            reviewSubmitted(event.id(), review, customer, state, requests);
        } else if (data instanceof CustomerProfile profile) {
            profile(event.id(), profile, customer, now);
            if (customer.referralWaitingEventId != null) {
                requests.add(referralInvitation(customer, customer.referralWaitingEventId));
                customer.referralWaitingEventId = null;
            }
        } else if (data instanceof CustomerErased) {
            erase(customer);
        } else if (data instanceof TierChanged changed) {
            customer.tier = changed.toTier();
            if (changed.direction() == TierChanged.Direction.UP && policy.on(TriggerType.TIER_UP)) {
                requests.add(TriggerRequest.of(TriggerType.TIER_UP, customer.customerId, event.id(),
                        "tier up from " + changed.fromTier() + " to " + changed.toTier(), event.id())
                        .with(Map.of("fromTier", String.valueOf(changed.fromTier()), "toTier", changed.toTier())));
            }
        } else if (data instanceof TierDowngradeAtRisk risk && policy.on(TriggerType.DOWNGRADE_WARNING)) {
            requests.add(TriggerRequest.of(TriggerType.DOWNGRADE_WARNING, customer.customerId,
                    customer.customerId + ":" + risk.downgradeOn(),
                    risk.currentTier() + " ends on " + risk.downgradeOn() + " unless the shortfall is spent", event.id())
                    .with(Map.of("currentTier", risk.currentTier(), "projectedTier", risk.projectedTier(),
                            "shortfall", risk.shortfall().amount().toPlainString(),
                            "currency", risk.shortfall().currency(), "downgradeOn", risk.downgradeOn().toString())));
        } else if (data instanceof PointsExpiring expiring && policy.on(TriggerType.POINTS_EXPIRING)) {
            requests.add(TriggerRequest.of(TriggerType.POINTS_EXPIRING, customer.customerId,
                    customer.customerId + ":" + expiring.expiresOn(),
                    expiring.points() + " points expire on " + expiring.expiresOn(), event.id())
                    .with(Map.of("points", Long.toString(expiring.points()),
                            "expiresOn", expiring.expiresOn().toString(),
                            "availablePoints", Long.toString(expiring.availableNow()))));
        }
        return requests;
    }

    private void orderPlaced(String eventId, OrderPlaced placed, CustomerState customer, OrderState order,
                             List<TriggerRequest> requests) {
        if (order.status != OrderState.Status.UNKNOWN) {
            return; // the same order placed again under another event id
        }
        order.status = OrderState.Status.PLACED;
        order.currency = placed.currency();
        order.value = policy.toBase(placed.merchandiseTotal().subtract(placed.pointsRedeemedValue()),
                placed.currency());
        order.firstOrder = customer.orderCount == 0;
        customer.orderCount++;
        customer.lifetimeSpend = customer.lifetimeSpend.add(order.value);
        if (customer.lastOrderAt == null || !placed.placedAt().isBefore(customer.lastOrderAt)) {
            // A new order stops the win-back ladder and starts it again from its first step.
            customer.lastOrderAt = placed.placedAt();
            customer.lastOrderEventId = eventId;
            customer.winBackStep = 0;
            customer.winBackDueAt = policy.on(TriggerType.WIN_BACK) ? policy.winBack().dueAt(placed.placedAt(), 0)
                    : null;
        }
        if (order.firstOrder) {
            customer.firstOrderId = placed.orderId();
            if (policy.on(TriggerType.REFERRAL_INVITATION)) {
                if (customer.profileKnown) {
                    requests.add(referralInvitation(customer, eventId));
                } else {
                    customer.referralWaitingEventId = eventId; // asked for when the profile arrives
                }
            }
        }
    }

    private TriggerRequest referralInvitation(CustomerState customer, String firstOrderEventId) {
        if (customer.referralCode == null) {
            customer.referralCode = codes.next("REF");
        }
        return TriggerRequest.of(TriggerType.REFERRAL_INVITATION, customer.customerId, customer.customerId,
                        "first order", firstOrderEventId)
                .withOrder(customer.firstOrderId).with(Map.of("referralCode", customer.referralCode));
    }

    private void settle(CustomerState customer, OrderState order, BigDecimal refund) {
        if (refund.signum() > 0) {
            order.refunded = order.refunded.add(refund);
            customer.lifetimeSpend = customer.lifetimeSpend.subtract(refund).max(BigDecimal.ZERO);
        }
    }

    private void shipmentDispatched(String eventId, ShipmentDispatched dispatched, CustomerState customer,
                                    CampaignState state) {
        ShipmentTimer timer = state.timer(dispatched.shipmentId(), dispatched.orderId(), customer.customerId);
        state.order(dispatched.orderId(), customer.customerId);
        if (timer.state != ShipmentTimer.State.NEW) {
            return; // delivered, failed or apologised before the dispatch arrived, or dispatched twice
        }
        timer.state = ShipmentTimer.State.OPEN;
        timer.promisedDate = dispatched.promisedDeliveryDate();
        timer.dispatchEventId = eventId;
        if (policy.on(TriggerType.DELAY_APOLOGY) && timer.promisedDate != null) {
            // Overdue once the promised day has ended where the customer lives, plus the grace period.
            timer.dueAt = timer.promisedDate.plusDays(1).atStartOfDay(policy.zoneOf(customer)).toInstant()
                    .plus(policy.delayGrace());
        }
    }

    private void reviewSubmitted(String eventId, ReviewSubmitted review, CustomerState customer, CampaignState state,
                                 List<TriggerRequest> requests) {
        String thanksKey = review.reviewId();
        if (review.orderId() != null) {
            OrderState order = state.order(review.orderId(), customer.customerId);
            order.reviewed = true;
            order.reviewRequestDueAt = null;
            thanksKey = review.orderId();
        }
        if (policy.on(TriggerType.REVIEW_THANKS)) {
            requests.add(TriggerRequest.of(TriggerType.REVIEW_THANKS, customer.customerId, thanksKey,
                    "review " + review.reviewId() + " submitted", eventId).withOrder(review.orderId())
                    .with(Map.of("rating", Integer.toString(review.rating()),
                            "verifiedPurchase", Boolean.toString(review.verifiedPurchase()))));
        }
    }

    private void profile(String eventId, CustomerProfile profile, CustomerState customer, Instant now) {
        customer.profileKnown = true;
        customer.profileEventId = eventId;
        customer.timeZone = profile.timeZone();
        customer.birthDate = profile.birthDate();
        customer.marketingConsent = profile.consents() != null && (profile.consents().email()
                || profile.consents().sms() || profile.consents().push() || profile.consents().webhook());
        scheduleBirthday(customer, now, 0);
    }

    private void erase(CustomerState customer) {
        customer.timeZone = null;
        customer.birthDate = null;
        customer.marketingConsent = false;
        customer.birthdayOfferAt = null;
        customer.winBackDueAt = null;
        customer.referralWaitingEventId = null;
    }

    private void scheduleBirthday(CustomerState customer, Instant now, int fromYear) {
        Optional<BirthdaySchedule.Occurrence> next = !policy.on(TriggerType.BIRTHDAY_OFFER)
                || !customer.marketingConsent ? Optional.empty()
                : policy.birthdaySchedule().next(customer.birthDate, policy.zoneOf(customer), now, fromYear);
        customer.birthdayOfferAt = next.map(BirthdaySchedule.Occurrence::offerAt).orElse(null);
        customer.birthdayYear = next.map(BirthdaySchedule.Occurrence::year).orElse(0);
    }

    // ---- timers: the jobs call these for rows whose time has come ----

    /** A dispatched shipment still not delivered when its promised date (plus grace) has passed. */
    public Optional<TriggerRequest> shipmentOverdue(ShipmentTimer timer, OrderState order, CustomerState customer,
                                                    Instant now) {
        if (timer.state != ShipmentTimer.State.OPEN) {
            return Optional.empty();
        }
        timer.close(ShipmentTimer.State.APOLOGISED);
        return delayApology(customer, order, timer.dispatchEventId, "shipment " + timer.shipmentId
                + " not delivered by its promised date " + timer.promisedDate, now)
                .map(r -> r.with(Map.of("shipmentId", timer.shipmentId,
                        "promisedDeliveryDate", String.valueOf(timer.promisedDate))));
    }

    private Optional<TriggerRequest> delayApology(CustomerState customer, OrderState order, String sourceEventId,
                                                  String reason, Instant now) {
        if (!policy.on(TriggerType.DELAY_APOLOGY) || !order.standing() || order.deliveredAt != null) {
            return Optional.empty();
        }
        boolean firstTime = order.status == OrderState.Status.PLACED ? order.firstOrder : customer.orderCount <= 1;
        return Optional.of(TriggerRequest.of(TriggerType.DELAY_APOLOGY, customer.customerId, order.orderId, reason,
                        sourceEventId).withOrder(order.orderId)
                .withOffer(policy.delayApologyOffer(), order.currency == null ? policy.baseCurrency() : order.currency)
                .with(Map.of("firstTimeCustomer", Boolean.toString(firstTime))));
    }

    /** The birthday offer whose send time has come; schedules the next year's. */
    public Optional<TriggerRequest> birthdayDue(CustomerState customer, Instant now) {
        if (customer.birthdayOfferAt == null || customer.birthdayOfferAt.isAfter(now)) {
            return Optional.empty();
        }
        int year = customer.birthdayYear;
        Optional<TriggerRequest> request = Optional.empty();
        if (policy.on(TriggerType.BIRTHDAY_OFFER) && customer.birthDate != null) {
            request = Optional.of(TriggerRequest.of(TriggerType.BIRTHDAY_OFFER, customer.customerId,
                            customer.customerId + ":" + year, "birthday in " + year,
                            customer.profileEventId == null ? customer.customerId : customer.profileEventId)
                    .withOffer(policy.birthdayOffer(), policy.baseCurrency())
                    .with(Map.of("birthdayYear", Integer.toString(year))));
        }
        scheduleBirthday(customer, now, year + 1);
        return request;
    }

    /** The next win-back offer: no order since {@code lastOrderAt} for the step's period. */
    public Optional<TriggerRequest> winBackDue(CustomerState customer, Instant now) {
        if (customer.winBackDueAt == null || customer.winBackDueAt.isAfter(now)) {
            return Optional.empty();
        }
        int step = customer.winBackStep;
        customer.winBackStep = step + 1;
        customer.winBackDueAt = policy.winBack().dueAt(customer.lastOrderAt, step + 1);
        if (!policy.on(TriggerType.WIN_BACK) || step >= policy.winBack().steps().size()) {
            return Optional.empty();
        }
        long days = Duration.between(customer.lastOrderAt, now).toDays();
        return Optional.of(TriggerRequest.of(TriggerType.WIN_BACK, customer.customerId,
                        customer.customerId + ":" + customer.lastOrderAt + ":" + (step + 1),
                        "no order for " + days + " days", customer.lastOrderEventId)
                .withOffer(policy.winBack().steps().get(step).offer(), policy.baseCurrency())
                .with(Map.of("step", Integer.toString(step + 1), "daysSinceLastOrder", Long.toString(days))));
    }

    /** The review request for a delivered order that was neither reviewed, cancelled nor returned. */
    public Optional<TriggerRequest> reviewRequestDue(OrderState order, Instant now) {
        if (order.reviewRequestDueAt == null || order.reviewRequestDueAt.isAfter(now)) {
            return Optional.empty();
        }
        order.reviewRequestDueAt = null;
        if (!policy.on(TriggerType.REVIEW_REQUEST) || !order.standing() || order.reviewed) {
            return Optional.empty();
        }
        return Optional.of(TriggerRequest.of(TriggerType.REVIEW_REQUEST, order.customerId, order.orderId,
                "delivered " + Duration.between(order.deliveredAt, now).toDays() + " days ago",
                order.deliveredEventId).withOrder(order.orderId));
    }
}
