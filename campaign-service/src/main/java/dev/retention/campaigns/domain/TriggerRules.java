package dev.retention.campaigns.domain;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CartContents;
import dev.retention.contracts.events.CartUpdated;
import dev.retention.contracts.events.CheckoutStarted;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.FeedbackRecorded;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.events.ServiceRecoveryRequested;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The retention triggers under one programme version's settings: how each event changes what campaign-service
 * knows, and which triggers it asks for. Timers (overdue shipments, birthdays, win-back, review requests) are set
 * here and fired by the {@code *Due} methods the jobs call. Whether a trigger really fires (guards, once-only) is
 * decided when it is issued. {@link CampaignRules} chooses the version for each event and due time.
 */
final class TriggerRules {

    private final CampaignPolicy policy;
    private final VoucherCodeGenerator codes;

    TriggerRules(CampaignPolicy policy, VoucherCodeGenerator codes) {
        this.policy = policy;
        this.codes = codes;
    }

    public CampaignPolicy policy() {
        return policy;
    }

    /** What the event changes in {@code state}, and the triggers it asks for (one at most). */
    public List<TriggerRequest> apply(EventEnvelope<?> event, CampaignState state, Instant now) {
        Optional<TriggerRequest> request = applyOne(event, state.customer(event.customerId()), state, now);
        return request.isPresent() ? List.of(request.get()) : List.of();
    }

    private Optional<TriggerRequest> applyOne(EventEnvelope<?> event, CustomerState customer, CampaignState state,
                                              Instant now) {
        String eventId = event.id();
        EventData data = event.data();
        return switch (data) {
            case OrderPlaced placed -> {
                if (placed.cartId() != null) {
                    state.cart(placed.cartId(), customer.customerId()).ordered();
                }
                yield orderPlaced(eventId, placed, customer, state.order(placed.orderId(), customer.customerId()));
            }
            case OrderCancelled cancelled -> {
                OrderState order = state.order(cancelled.orderId(), customer.customerId());
                settle(customer, order, order.unrefunded(), OrderState.Status.CANCELLED);
                yield Optional.empty();
            }
            case OrderReturned returned -> {
                OrderState order = state.order(returned.orderId(), customer.customerId());
                settle(customer, order, policy.toBase(returned.refundedAmount(), returned.currency())
                        .min(order.unrefunded()), OrderState.Status.RETURNED);
                yield Optional.empty();
            }
            case ShipmentDispatched dispatched -> {
                shipmentDispatched(eventId, dispatched, customer, state);
                yield Optional.empty();
            }
            case ShipmentDelayed delayed -> shipmentDelayed(eventId, delayed, customer, state, now);
            case ShipmentDelivered delivered -> {
                shipmentDelivered(eventId, delivered, customer, state);
                yield Optional.empty();
            }
            case ShipmentDeliveryFailed failed -> {
                state.timer(failed.shipmentId(), failed.orderId(), customer.customerId())
                        .close(ShipmentTimer.State.FAILED);
                yield Optional.empty();
            }
            case ReviewSubmitted review -> reviewSubmitted(eventId, review, customer, state);
            case CustomerProfile profile -> profile(eventId, profile, customer, now);
            case CustomerErased erased -> {
                customer.erase();
                state.cartsOf(customer.customerId()).forEach(CartTimer::erase);
                yield Optional.empty();
            }
            case CartUpdated updated -> {
                CartTimer cart = state.cart(updated.cartId(), customer.customerId());
                if (customer.erased()) {
                    cart.erase(); // a late change of an erased customer's cart is not kept
                } else {
                    cart.update(eventId, updated.lines(), updated.updatedAt(), cartReminderSteps());
                }
                yield Optional.empty();
            }
            case CheckoutStarted started -> {
                state.cart(started.cartId(), customer.customerId()).checkout(started.startedAt(), cartReminderSteps());
                yield Optional.empty();
            }
            case TierChanged changed -> tierChanged(eventId, changed, customer);
            case TierDowngradeAtRisk risk -> downgradeAtRisk(eventId, risk, customer);
            case PointsExpiring expiring -> pointsExpiring(eventId, expiring, customer);
            // Nothing to do with the ledger's changes (the consumer does not even decode them), nor with the
            // platform's own output.
            case PointsChanged ignored -> Optional.empty();
            case TriggerFired ignored -> Optional.empty();
            case NotificationOutcome ignored -> Optional.empty();
            case ProgrammePublished ignored -> Optional.empty();
            // A reward is issued after the batch's rules, by the application's RewardIssuer (pools are in the store).
            case RewardRedemptionRequested redemption -> Optional.empty();
            case RewardIssued ignored -> Optional.empty();
            case RewardIssueFailed ignored -> Optional.empty();
            case VoucherRedeemed ignored -> Optional.empty();
            case VoucherRejected ignored -> Optional.empty();
            case VoucherReleased ignored -> Optional.empty();
            case ProductUpdated ignored -> Optional.empty();
            // An answer is recorded once per order by the application (the feedback table), which then asks
            // feedbackRecorded for its triggers; the service's own output is not its input.
            case FeedbackSubmitted ignored -> Optional.empty();
            case FeedbackRecorded ignored -> Optional.empty();
            case ServiceRecoveryRequested ignored -> Optional.empty();
            case dev.retention.contracts.events.TriggerHeldOut ignored -> Optional.empty();
            case dev.retention.contracts.events.InsightsSnapshot ignored -> Optional.empty();
        };
    }

    private Optional<TriggerRequest> orderPlaced(String eventId, OrderPlaced placed, CustomerState customer,
                                                 OrderState order) {
        if (order.status() != OrderState.Status.UNKNOWN) {
            return Optional.empty(); // the same order placed again under another event id
        }
        BigDecimal value = policy.toBase(placed.merchandiseTotal().subtract(placed.pointsRedeemedValue()),
                placed.currency());
        boolean first = customer.addOrder(placed.orderId(), value);
        order.place(placed.currency(), value, first);
        if (customer.isLatestOrder(placed.placedAt())) {
            // A new order stops the win-back ladder and starts it again from its first step.
            customer.lastOrder(placed.placedAt(), eventId, policy.on(TriggerType.WIN_BACK)
                    ? policy.winBack().dueAt(placed.placedAt(), 0) : null);
        }
        if (!first || !policy.on(TriggerType.REFERRAL_INVITATION)) {
            return Optional.empty();
        }
        if (!customer.profileKnown()) {
            customer.awaitProfileForReferral(eventId); // asked for when the profile arrives
            return Optional.empty();
        }
        return Optional.of(referralInvitation(customer, eventId));
    }

    private TriggerRequest referralInvitation(CustomerState customer, String firstOrderEventId) {
        String referralCode = customer.referralCode(() -> codes.next("REF"));
        return TriggerRequest.of(TriggerType.REFERRAL_INVITATION, customer.customerId(), customer.customerId(),
                        "first order", firstOrderEventId)
                .withOrder(customer.firstOrderId()).with(Map.of("referralCode", referralCode));
    }

    /** Cancelled or returned: the refund no longer counts as spend, and the order no longer stands. */
    private void settle(CustomerState customer, OrderState order, BigDecimal refund, OrderState.Status closed) {
        if (refund.signum() > 0) {
            order.refund(refund);
            customer.deductSpend(refund);
        }
        order.close(closed);
    }

    private void shipmentDispatched(String eventId, ShipmentDispatched dispatched, CustomerState customer,
                                    CampaignState state) {
        ShipmentTimer timer = state.timer(dispatched.shipmentId(), dispatched.orderId(), customer.customerId());
        state.order(dispatched.orderId(), customer.customerId());
        if (timer.state() != ShipmentTimer.State.NEW) {
            return; // delivered, failed or apologised before the dispatch arrived, or dispatched twice
        }
        LocalDate promised = dispatched.promisedDeliveryDate();
        // Overdue once the promised day has ended where the customer lives, plus the grace period.
        Instant due = policy.on(TriggerType.DELAY_APOLOGY) && promised != null
                ? promised.plusDays(1).atStartOfDay(policy.zoneOf(customer)).toInstant().plus(policy.delayGrace())
                : null;
        timer.open(promised, eventId, due);
    }

    private Optional<TriggerRequest> shipmentDelayed(String eventId, ShipmentDelayed delayed, CustomerState customer,
                                                     CampaignState state, Instant now) {
        ShipmentTimer timer = state.timer(delayed.shipmentId(), delayed.orderId(), customer.customerId());
        OrderState order = state.order(delayed.orderId(), customer.customerId());
        if (timer.state() != ShipmentTimer.State.NEW && timer.state() != ShipmentTimer.State.OPEN) {
            return Optional.empty();
        }
        timer.close(ShipmentTimer.State.APOLOGISED);
        return delayApology(customer, order, eventId, "shipment " + delayed.shipmentId() + " reported delayed", now)
                .map(r -> r.with(Map.of("shipmentId", delayed.shipmentId(),
                        "newEstimatedDeliveryDate", String.valueOf(delayed.newEstimatedDeliveryDate()))));
    }

    private void shipmentDelivered(String eventId, ShipmentDelivered delivered, CustomerState customer,
                                   CampaignState state) {
        state.timer(delivered.shipmentId(), delivered.orderId(), customer.customerId())
                .close(ShipmentTimer.State.DELIVERED);
        OrderState order = state.order(delivered.orderId(), customer.customerId());
        if (!order.delivered()) {
            boolean askForReview = (policy.on(TriggerType.REVIEW_REQUEST) || policy.on(TriggerType.FEEDBACK_REQUEST))
                    && order.standing() && !order.reviewed();
            order.deliver(delivered.deliveredAt(), eventId,
                    askForReview ? delivered.deliveredAt().plus(policy.reviewRequestAfter()) : null);
        }
    }

    private Optional<TriggerRequest> reviewSubmitted(String eventId, ReviewSubmitted review, CustomerState customer,
                                                     CampaignState state) {
        String thanksKey = review.reviewId();
        if (review.orderId() != null) {
            state.order(review.orderId(), customer.customerId()).markReviewed();
            thanksKey = review.orderId();
        }
        if (!policy.on(TriggerType.REVIEW_THANKS)) {
            return Optional.empty();
        }
        return Optional.of(TriggerRequest.of(TriggerType.REVIEW_THANKS, customer.customerId(), thanksKey,
                        "review " + review.reviewId() + " submitted", eventId).withOrder(review.orderId())
                .with(Map.of("rating", Integer.toString(review.rating()),
                        "verifiedPurchase", Boolean.toString(review.verifiedPurchase()))));
    }

    /** The profile as it is now; a referral invitation that waited for it is asked for now. */
    private Optional<TriggerRequest> profile(String eventId, CustomerProfile profile, CustomerState customer,
                                             Instant now) {
        boolean consent = profile.consents() != null && (profile.consents().email() || profile.consents().sms()
                || profile.consents().push() || profile.consents().webhook());
        customer.profile(eventId, profile.timeZone(), profile.birthDate(), consent);
        scheduleBirthday(customer, now, 0);
        String waitingReferral = customer.takeWaitingReferral();
        return waitingReferral == null ? Optional.empty()
                : Optional.of(referralInvitation(customer, waitingReferral));
    }

    private Optional<TriggerRequest> tierChanged(String eventId, TierChanged changed, CustomerState customer) {
        customer.changeTier(changed.toTier());
        if (changed.direction() != TierChanged.Direction.UP || !policy.on(TriggerType.TIER_UP)) {
            return Optional.empty();
        }
        return Optional.of(tierUp(customer.customerId(), eventId, changed.fromTier(), changed.toTier()));
    }

    /**
     * The tier-up trigger a {@code tier.changed} with direction UP asks for; the simulation builds a draft's tier-ups
     * here too ({@link DraftTierUps}), so both ask for the same request.
     *
     * @param eventId the change's event id: the dedupe key (one per change) and the source event
     */
    static TriggerRequest tierUp(String customerId, String eventId, String fromTier, String toTier) {
        return TriggerRequest.of(TriggerType.TIER_UP, customerId, eventId,
                        "tier up from " + fromTier + " to " + toTier, eventId)
                .with(Map.of("fromTier", String.valueOf(fromTier), "toTier", toTier));
    }

    private Optional<TriggerRequest> downgradeAtRisk(String eventId, TierDowngradeAtRisk risk,
                                                     CustomerState customer) {
        if (!policy.on(TriggerType.DOWNGRADE_WARNING)) {
            return Optional.empty();
        }
        return Optional.of(TriggerRequest.of(TriggerType.DOWNGRADE_WARNING, customer.customerId(),
                        customer.customerId() + ":" + risk.downgradeOn(),
                        risk.currentTier() + " ends on " + risk.downgradeOn() + " unless the shortfall is spent",
                        eventId)
                .with(Map.of("currentTier", risk.currentTier(), "projectedTier", risk.projectedTier(),
                        "shortfall", risk.shortfall().amount().toPlainString(),
                        "currency", risk.shortfall().currency(), "downgradeOn", risk.downgradeOn().toString())));
    }

    private Optional<TriggerRequest> pointsExpiring(String eventId, PointsExpiring expiring, CustomerState customer) {
        if (!policy.on(TriggerType.POINTS_EXPIRING)) {
            return Optional.empty();
        }
        return Optional.of(TriggerRequest.of(TriggerType.POINTS_EXPIRING, customer.customerId(),
                        customer.customerId() + ":" + expiring.expiresOn(),
                        expiring.points() + " points expire on " + expiring.expiresOn(), eventId)
                .with(Map.of("points", Long.toString(expiring.points()),
                        "expiresOn", expiring.expiresOn().toString(),
                        "availablePoints", Long.toString(expiring.availableNow()))));
    }

    private void scheduleBirthday(CustomerState customer, Instant now, int fromYear) {
        Optional<BirthdaySchedule.Occurrence> next = !policy.on(TriggerType.BIRTHDAY_OFFER)
                || !customer.marketingConsent() ? Optional.empty()
                : policy.birthdaySchedule().next(customer.birthDate(), policy.zoneOf(customer), now, fromYear);
        customer.scheduleBirthday(next.map(BirthdaySchedule.Occurrence::offerAt).orElse(null),
                next.map(BirthdaySchedule.Occurrence::year).orElse(0));
    }

    // ---- timers: the jobs call these for rows whose time has come ----

    /** A dispatched shipment still not delivered when its promised date (plus grace) has passed. */
    public Optional<TriggerRequest> shipmentOverdue(ShipmentTimer timer, OrderState order, CustomerState customer,
                                                    Instant now) {
        if (timer.state() != ShipmentTimer.State.OPEN) {
            return Optional.empty();
        }
        timer.close(ShipmentTimer.State.APOLOGISED);
        return delayApology(customer, order, timer.dispatchEventId(), "shipment " + timer.shipmentId()
                + " not delivered by its promised date " + timer.promisedDate(), now)
                .map(r -> r.with(Map.of("shipmentId", timer.shipmentId(),
                        "promisedDeliveryDate", String.valueOf(timer.promisedDate()))));
    }

    private Optional<TriggerRequest> delayApology(CustomerState customer, OrderState order, String sourceEventId,
                                                  String reason, Instant now) {
        if (!policy.on(TriggerType.DELAY_APOLOGY) || !order.standing() || order.delivered()) {
            return Optional.empty();
        }
        boolean firstTime = order.status() == OrderState.Status.PLACED ? order.firstOrder()
                : customer.orderCount() <= 1;
        return Optional.of(TriggerRequest.of(TriggerType.DELAY_APOLOGY, customer.customerId(), order.orderId(), reason,
                        sourceEventId).withOrder(order.orderId())
                .withOffer(policy.delayApologyOffer(), order.currency() == null ? policy.baseCurrency()
                        : order.currency())
                .with(Map.of("firstTimeCustomer", Boolean.toString(firstTime))));
    }

    /** The birthday offer whose send time has come; schedules the next year's. */
    public Optional<TriggerRequest> birthdayDue(CustomerState customer, Instant now) {
        if (customer.birthdayOfferAt() == null || customer.birthdayOfferAt().isAfter(now)) {
            return Optional.empty();
        }
        int year = customer.birthdayYear();
        Optional<TriggerRequest> request = Optional.empty();
        if (policy.on(TriggerType.BIRTHDAY_OFFER) && customer.birthDate() != null) {
            request = Optional.of(TriggerRequest.of(TriggerType.BIRTHDAY_OFFER, customer.customerId(),
                            customer.customerId() + ":" + year, "birthday in " + year,
                            customer.profileEventId() == null ? customer.customerId() : customer.profileEventId())
                    .withOffer(policy.birthdayOffer(), policy.baseCurrency())
                    .with(Map.of("birthdayYear", Integer.toString(year))));
        }
        scheduleBirthday(customer, now, year + 1);
        return request;
    }

    /** The next win-back offer: no order since {@code lastOrderAt} for the step's period. */
    public Optional<TriggerRequest> winBackDue(CustomerState customer, Instant now) {
        if (customer.winBackDueAt() == null || customer.winBackDueAt().isAfter(now)) {
            return Optional.empty();
        }
        int step = customer.winBackStep();
        customer.advanceWinBack(policy.winBack().dueAt(customer.lastOrderAt(), step + 1));
        if (!policy.on(TriggerType.WIN_BACK) || step >= policy.winBack().steps().size()) {
            return Optional.empty();
        }
        long days = Duration.between(customer.lastOrderAt(), now).toDays();
        return Optional.of(TriggerRequest.of(TriggerType.WIN_BACK, customer.customerId(),
                        customer.customerId() + ":" + customer.lastOrderAt() + ":" + (step + 1),
                        "no order for " + days + " days", customer.lastOrderEventId())
                .withOffer(policy.winBack().steps().get(step).offer(), policy.baseCurrency())
                .with(Map.of("step", Integer.toString(step + 1), "daysSinceLastOrder", Long.toString(days))));
    }

    /** The review request for a delivered order that was neither reviewed, cancelled nor returned. */
    public Optional<TriggerRequest> reviewRequestDue(OrderState order, Instant now) {
        if (order.reviewRequestDueAt() == null || order.reviewRequestDueAt().isAfter(now)) {
            return Optional.empty();
        }
        Instant due = order.reviewRequestDueAt();
        order.dropReviewRequest();
        // The programme says which request goes after delivery: the review request or the feedback (NPS) mail.
        TriggerType type = policy.on(TriggerType.FEEDBACK_REQUEST) ? TriggerType.FEEDBACK_REQUEST
                : TriggerType.REVIEW_REQUEST;
        if (!policy.on(type) || !order.standing() || order.reviewed()) {
            return Optional.empty();
        }
        TriggerRequest request = TriggerRequest.of(type, order.customerId(), order.orderId(),
                "delivered " + Duration.between(order.deliveredAt(), now).toDays() + " days ago",
                order.deliveredEventId()).withOrder(order.orderId());
        // The links' expiry is signed into them by notification-service: counted from the due time, so a replay
        // or a late job run gives the same links.
        return Optional.of(type == TriggerType.FEEDBACK_REQUEST ? request.with(Map.of("linksValidUntil",
                due.plus(policy.feedbackLinkValidFor()).toString())) : request);
    }

    /**
     * What a recorded feedback answer asks for (the answer itself is recorded once per order by the application):
     * a detractor's service recovery with the apology voucher (once per order), and a promoter's referral invitation
     * if they never had one (its once-only key is the customer).
     */
    public List<TriggerRequest> feedbackRecorded(FeedbackAnswer answer, CustomerState customer, OrderState order) {
        return switch (answer.scoreClass()) {
            case DETRACTOR -> policy.on(TriggerType.SERVICE_RECOVERY) && policy.serviceRecoveryOffer() != null
                    ? List.of(TriggerRequest.of(TriggerType.SERVICE_RECOVERY, customer.customerId(), answer.orderId(),
                                    "feedback score " + answer.score() + " for order " + answer.orderId(),
                                    answer.sourceEventId()).withOrder(answer.orderId())
                            .withOffer(policy.serviceRecoveryOffer(), order.currency() == null ? policy.baseCurrency()
                                    : order.currency())
                            .with(Map.of("score", Integer.toString(answer.score()))))
                    : List.of();
            case PASSIVE -> List.of();
            case PROMOTER -> policy.on(TriggerType.REFERRAL_INVITATION)
                    ? List.of(promoterReferral(customer, answer))
                    : List.of();
        };
    }

    private TriggerRequest promoterReferral(CustomerState customer, FeedbackAnswer answer) {
        String referralCode = customer.referralCode(() -> codes.next("REF"));
        return TriggerRequest.of(TriggerType.REFERRAL_INVITATION, customer.customerId(), customer.customerId(),
                        "promoter (feedback score " + answer.score() + ")", answer.sourceEventId())
                .withOrder(answer.orderId()).with(Map.of("referralCode", referralCode));
    }

    /** The steps a cart's timer follows under this version: none when the cart reminder is off. */
    private CartReminderSteps cartReminderSteps() {
        return policy.on(TriggerType.CART_REMINDER) ? policy.cartReminder() : CartReminderSteps.NONE;
    }

    /**
     * The next reminder of a cart left with items. The step is taken whether or not it is sent, so a step is decided
     * once per cart; the trigger log's once-only key (cart and step) keeps it so across replicas and replays.
     */
    public Optional<TriggerRequest> cartReminderDue(CartTimer cart, CustomerState customer, Instant now) {
        if (cart.dueAt() == null || cart.dueAt().isAfter(now)) {
            return Optional.empty();
        }
        if (customer.erased()) {
            cart.erase();
            return Optional.empty();
        }
        CartReminderSteps steps = policy.cartReminder();
        CartContents contents = cart.contents();
        int step = cart.takeDueStep(now, cartReminderSteps());
        if (step < 0 || !policy.on(TriggerType.CART_REMINDER)) {
            return Optional.empty();
        }
        long hours = Duration.between(cart.lastActivityAt(), now).toHours();
        TriggerRequest request = TriggerRequest.of(TriggerType.CART_REMINDER, customer.customerId(),
                        cart.cartId() + ":" + (step + 1), "cart left " + hours + " hours ago",
                        cart.updateEventId() == null ? cart.cartId() : cart.updateEventId())
                .with(Map.of("step", Integer.toString(step + 1), "cartId", cart.cartId()))
                .withCart(contents);
        VoucherOffer offer = steps.steps().get(step).offer();
        return Optional.of(offer == null ? request : request.withOffer(offer, cartCurrency(contents)));
    }

    /** The voucher's currency: the cart's where the programme accepts it, else the reporting currency. */
    private String cartCurrency(CartContents contents) {
        String currency = contents.lines().isEmpty() ? null : contents.lines().get(0).unitPrice().currency();
        return currency != null && policy.exchangeRates().containsKey(currency) ? currency : policy.baseCurrency();
    }
}
