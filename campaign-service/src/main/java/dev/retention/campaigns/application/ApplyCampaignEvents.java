package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.domain.CampaignRejectedException;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CampaignState;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.campaigns.persistence.CartStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
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
import dev.retention.campaigns.domain.FeedbackAnswer;
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
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A polled batch of shop and loyalty events (the eventing kit opens its transaction): lock the customers it
 * touches, load their orders and shipment timers, apply the rules event by event in memory, then save every row in
 * one statement per table and issue the triggers ({@link CampaignUnitOfWork}); last, count the new orders for the
 * recommendations ({@link Recommendations#record}: pair rows after customer rows, in every transaction).
 */
@ApplicationScoped
public class ApplyCampaignEvents implements BatchHandler {

    /**
     * Every type on its topics but {@code points.changed}: of the ledger's events only the expiry warning starts a
     * trigger, and {@code reward.redemption-requested} asks for a reward ({@link RewardIssuer}). The ledger's changes
     * are a third of what the service reads under a shop's load.
     */
    private static final Set<EventType> STARTS_OR_SHAPES_TRIGGERS = Collections.unmodifiableSet(
            EnumSet.complementOf(EnumSet.of(EventType.POINTS_CHANGED)));

    private final CampaignRules rules;
    private final CampaignStore store;
    private final CartStore carts;
    private final CampaignUnitOfWork unitOfWork;
    private final RewardIssuer rewards;
    private final Clock clock;
    private final CheckoutVouchers checkout;
    private final Recommendations recommendations;
    private final FeedbackRecorder feedback;

    public ApplyCampaignEvents(CampaignRules rules, CampaignStore store, CartStore carts,
                               CampaignUnitOfWork unitOfWork, RewardIssuer rewards, Clock clock,
                               CheckoutVouchers checkout, Recommendations recommendations, FeedbackRecorder feedback) {
        this.rules = rules;
        this.store = store;
        this.carts = carts;
        this.unitOfWork = unitOfWork;
        this.rewards = rewards;
        this.clock = clock;
        this.checkout = checkout;
        this.recommendations = recommendations;
        this.feedback = feedback;
    }

    @Override
    public Set<EventType> eventTypes() {
        return STARTS_OR_SHAPES_TRIGGERS;
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        Instant now = clock.instant();
        List<RewardIssuer.Redemption> redemptions = new ArrayList<>();
        return load(tx, Keys.of(events)).chain(state -> {
            // Read before the rules change the orders: which orders with vouchers were known before this batch.
            CheckoutVouchers.Plan vouchers = checkout.plan(events, state);
            return feedback.record(tx, answers(events), state, now).chain(answered -> {
                Changes changes = applyRules(events, state, now, redemptions).withRequests(answered.requests());
                return unitOfWork.save(tx, changes, state.customers(), now)
                        .call(() -> feedback.erase(tx, erased(events)))
                        .chain(issued -> rewards.issue(tx, redemptions, now).chain(rewarded ->
                                checkout.apply(tx, vouchers).map(checkoutEvents -> {
                                    List<EventEnvelope<?>> out = new ArrayList<>(issued.events());
                                    out.addAll(answered.events());
                                    out.addAll(rewarded);
                                    out.addAll(checkoutEvents);
                                    return out;
                                })));
            });
        }).call(() -> recommendations.record(tx, events));
    }

    /** The batch's feedback answers, in its order. */
    private static List<FeedbackAnswer> answers(List<EventEnvelope<?>> events) {
        List<FeedbackAnswer> answers = new ArrayList<>();
        for (EventEnvelope<?> event : events) {
            if (event.data() instanceof FeedbackSubmitted submitted) {
                answers.add(new FeedbackAnswer(event.customerId(), submitted.orderId(), submitted.score(),
                        submitted.comment(), submitted.channel(), submitted.submittedAt(), event.id()));
            }
        }
        return answers;
    }

    /** The customers the batch erases: their feedback comments go. */
    private static Set<String> erased(List<EventEnvelope<?>> events) {
        Set<String> erased = new HashSet<>();
        for (EventEnvelope<?> event : events) {
            if (event.data() instanceof CustomerErased) {
                erased.add(event.customerId());
            }
        }
        return erased;
    }

    /** The rows a batch touches. */
    private record Keys(Set<String> customerIds, Set<String> orderIds, Set<String> shipmentIds, Set<String> cartIds,
                        Set<String> erasedCustomerIds) {

        static Keys of(List<EventEnvelope<?>> events) {
            Keys keys = new Keys(new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>(), new HashSet<>());
            for (EventEnvelope<?> event : events) {
                keys.customerIds.add(event.customerId());
                if (event.data() instanceof CustomerErased) {
                    keys.erasedCustomerIds.add(event.customerId()); // their carts are closed
                }
                keys.collect(event.data());
            }
            return keys;
        }

        /** The order, shipment and cart an event is about; the rules create the rows that do not exist yet. */
        private void collect(EventData data) {
            switch (data) {
                case OrderPlaced placed -> {
                    orderIds.add(placed.orderId());
                    if (placed.cartId() != null) {
                        cartIds.add(placed.cartId());
                    }
                }
                case CartUpdated updated -> cartIds.add(updated.cartId());
                case CheckoutStarted started -> cartIds.add(started.cartId());
                case OrderCancelled cancelled -> orderIds.add(cancelled.orderId());
                case OrderReturned returned -> orderIds.add(returned.orderId());
                case ShipmentDispatched dispatched -> shipment(dispatched.orderId(), dispatched.shipmentId());
                case ShipmentDelayed delayed -> shipment(delayed.orderId(), delayed.shipmentId());
                case ShipmentDelivered delivered -> shipment(delivered.orderId(), delivered.shipmentId());
                case ShipmentDeliveryFailed failed -> shipment(failed.orderId(), failed.shipmentId());
                case ReviewSubmitted review -> {
                    if (review.orderId() != null) {
                        orderIds.add(review.orderId());
                    }
                }
                // The customer's row only.
                case CustomerProfile profile -> { }
                case CustomerErased erased -> { }
                case TierChanged changed -> { }
                case TierDowngradeAtRisk risk -> { }
                case PointsExpiring expiring -> { }
                case RewardRedemptionRequested redemption -> { }
                // Never let in (eventTypes), see CampaignRules.
                case PointsChanged ignored -> { }
                case TriggerFired ignored -> { }
                case NotificationOutcome ignored -> { }
                case ProgrammePublished ignored -> { }
                case RewardIssued ignored -> { }
                case RewardIssueFailed ignored -> { }
                case VoucherRedeemed ignored -> { }
                case VoucherRejected ignored -> { }
                case VoucherReleased ignored -> { }
                case ProductUpdated ignored -> { }
                case FeedbackSubmitted feedback -> orderIds.add(feedback.orderId());
                case FeedbackRecorded ignored -> { }
                case ServiceRecoveryRequested ignored -> { }
                case dev.retention.contracts.events.TriggerHeldOut ignored -> { }
                case dev.retention.contracts.events.InsightsSnapshot ignored -> { }
            }
        }

        private void shipment(String orderId, String shipmentId) {
            orderIds.add(orderId);
            shipmentIds.add(shipmentId);
        }
    }

    /** Customers (locked, created when new) with their orders: the first two of the four loads. */
    private record Loaded(Map<String, CustomerState> customers, Map<String, OrderState> orders) {
    }

    private Uni<CampaignState> load(SqlConnection tx, Keys keys) {
        return store.lockOrOpenCustomers(tx, keys.customerIds())
                .chain(customers -> store.orders(tx, keys.orderIds()).map(orders -> new Loaded(customers, orders)))
                .chain(loaded -> store.timers(tx, keys.shipmentIds())
                        .chain(timers -> carts.carts(tx, keys.cartIds(), keys.erasedCustomerIds())
                                .map(loadedCarts -> new CampaignState(loaded.customers(), loaded.orders(), timers,
                                        loadedCarts))));
    }

    /** In memory, in the batch's order; an event the rules cannot take is dead-lettered alone by the kit. */
    private Changes applyRules(List<EventEnvelope<?>> events, CampaignState state, Instant now,
                               List<RewardIssuer.Redemption> redemptions) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (EventEnvelope<?> event : events) {
            try {
                requests.addAll(rules.apply(event, state, now));
            } catch (CampaignRejectedException e) {
                throw new EventRejectedException(e.getMessage());
            }
            if (event.data() instanceof RewardRedemptionRequested redemption) {
                // Erased as of this point of the batch: an erasure after the redemption does not take it back.
                redemptions.add(new RewardIssuer.Redemption(event.id(), event.customerId(), redemption,
                        state.customer(event.customerId()).erased()));
            }
        }
        return new Changes(state.changedCustomers(), state.changedOrders(), state.changedTimers(), requests,
                state.changedCarts());
    }
}
