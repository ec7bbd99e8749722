package dev.retention.points.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
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
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.BatchHandler;
import dev.retention.eventing.EventRejectedException;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.domain.RewardRedemption;
import dev.retention.points.domain.RuleUsage;
import dev.retention.points.persistence.PointsStore;
import dev.retention.points.persistence.PointsStore.LockedAccounts;
import dev.retention.points.persistence.PointsStore.TierAssignment;
import dev.retention.points.persistence.RewardStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Objects;
import java.util.Set;

/**
 * The consumer's use case: applies a batch of orders, shipments, reviews, customers, tier changes and birthday
 * offers to the ledger. It loads and locks every account and order the batch touches (a few statements), applies the
 * rules in arrival order in memory, writes back through {@link LedgerWork} (a few statements), and returns one
 * {@code points.changed} per ledger entry. The eventing kit opens the transaction, with the inbox and the outbox in
 * it. A {@code customer.erased} renames the customer's rows to a pseudonym after the rest of the batch is written.
 *
 * <p>Each event is judged by the programme version in force at its business time: an order by its {@code placedAt}
 * (so an order placed before a change earns under the old rules however late it arrives), a cancellation, return,
 * delivery, review or registration by its own time, a birthday offer by when it fired, and a tier change's re-rating
 * of an order by that order's {@code placedAt}.
 *
 * <p>The rewards saga's outcomes settle a redemption once: {@code reward.issued} marks it ISSUED, and
 * {@code reward.issue-failed} marks it REFUNDED, gives the points back (rule {@code reward.refund}) and the stock
 * taken. Both name the redemption, whose row says whose account it is (an erasure may have renamed it meanwhile).
 */
@ApplicationScoped
public class ApplyPointsEvents implements BatchHandler {

    public static final String PSEUDONYM_PREFIX = LedgerWork.PSEUDONYM_PREFIX;

    private static final Set<EventType> PLACED_ONCE_BY_ORDER_ROW = Collections.unmodifiableSet(
            EnumSet.of(EventType.ORDER_PLACED));
    private static final Set<EventType> MOVES_POINTS = Collections.unmodifiableSet(EnumSet.copyOf(
            Arrays.stream(EventType.values()).filter(ApplyPointsEvents::movesPoints).toList()));

    private final PointsPolicies policies;
    private final PointsStore store;
    private final RewardStore rewards;

    public ApplyPointsEvents(PointsPolicies policies, PointsStore store, RewardStore rewards) {
        this.policies = policies;
        this.store = store;
        this.rewards = rewards;
    }

    /** The rules of the programme version in force at {@code businessTime} (the event's time when it has none). */
    private PointsRules rulesAt(Instant businessTime, Instant eventTime) {
        return PointsRules.under(policies.at(businessTime != null ? businessTime : eventTime));
    }

    /**
     * Which types the kit decodes for this service. Dispatches, delays, failed deliveries, profile updates and
     * downgrade warnings move no points, and the service's own output is not its input.
     */
    static boolean movesPoints(EventType type) {
        return switch (type) {
            case ORDER_PLACED, ORDER_CANCELLED, ORDER_RETURNED, SHIPMENT_DELIVERED, REVIEW_SUBMITTED,
                 CUSTOMER_REGISTERED, CUSTOMER_ERASED, TIER_CHANGED, TRIGGER_FIRED, REWARD_ISSUED,
                 REWARD_ISSUE_FAILED, FEEDBACK_RECORDED -> true;
            case SHIPMENT_DISPATCHED, SHIPMENT_DELAYED, SHIPMENT_DELIVERY_FAILED, CUSTOMER_UPDATED,
                 TIER_DOWNGRADE_AT_RISK, POINTS_CHANGED, POINTS_EXPIRING, NOTIFICATION_OUTCOME,
                 PROGRAMME_PUBLISHED, REWARD_REDEMPTION_REQUESTED, VOUCHER_REDEEMED, VOUCHER_REJECTED, VOUCHER_RELEASED,
                 PRODUCT_UPDATED, CART_UPDATED, CHECKOUT_STARTED, FEEDBACK_SUBMITTED, SERVICE_RECOVERY_REQUESTED,
                 TRIGGER_HELD_OUT, INSIGHTS_SNAPSHOT -> false;
        };
    }

    @Override
    public Set<EventType> eventTypes() {
        return MOVES_POINTS;
    }

    /**
     * An order is placed once: its row, locked by the order's id with the batch, says whether it was, so its
     * {@code order.placed} needs no inbox row (a third of the statement time per order in the points benchmark).
     */
    @Override
    public Set<EventType> deduplicatedByEffect() {
        return PLACED_ONCE_BY_ORDER_ROW;
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> batchEvents) {
        // Of campaign-service's triggers only the birthday offer moves points; the others touch no account.
        List<EventEnvelope<?>> events = batchEvents.stream()
                .filter(event -> !(event.data() instanceof TriggerFired fired)
                        || fired.triggerType() == TriggerType.BIRTHDAY_OFFER)
                .toList();
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        Wanted wanted = Wanted.by(events);
        return recordTierChanges(tx, wanted)
                .chain(() -> rewards.owners(tx, wanted.redemptionIds))
                .invoke(wanted::redemptionsOwnedBy)
                .chain(() -> lockAll(tx, wanted))
                .map(loaded -> applyInOrder(events, loaded))
                .chain(batch -> batch.work.save(tx, store, null)
                        .call(() -> rewards.saveOutcomes(tx, batch.settled.values()))
                        .call(() -> rewards.giveBack(tx, batch.stockGivenBack)));
    }

    /**
     * A tier change may come after orders placed while it was in force: those are read first, so that their accounts
     * and rows are locked in the same order as everything else.
     */
    private Uni<Void> recordTierChanges(SqlConnection tx, Wanted wanted) {
        return store.recordTiers(tx, wanted.tiers)
                .chain(() -> store.ordersPlacedSince(tx, wanted.tierChangedSince))
                .invoke(wanted::rerate)
                .replaceWithVoid();
    }

    /** Accounts (and the known referrers' accounts) before orders, as every writer of the ledger locks them. */
    private Uni<Loaded> lockAll(SqlConnection tx, Wanted wanted) {
        return store.lockOrOpenAccounts(tx, wanted.customers)
                .chain(accounts -> lockKnownReferrers(tx, accounts))
                .chain(accounts -> store.lockOrders(tx, wanted.orderIds)
                        // Only placing or re-rating an order asks for the tier: no read otherwise.
                        .chain(orders -> store.tierHistories(tx, wanted.ordering)
                                .chain(histories -> store.ruleUsage(tx, wanted.capsCounted(policies))
                                        .chain(usage -> rewards.lock(tx, wanted.redemptionIds)
                                                .map(redemptions -> new Loaded(accounts, orders, histories,
                                                        wanted.rerating, usage, redemptions))))));
    }

    private Uni<LockedAccounts> lockKnownReferrers(SqlConnection tx, LockedAccounts accounts) {
        Set<String> referrers = new HashSet<>();
        accounts.byCustomer().values().stream().map(PointsAccount::referredBy).filter(Objects::nonNull)
                .filter(id -> !accounts.byCustomer().containsKey(id)).forEach(referrers::add);
        if (referrers.isEmpty()) {
            return Uni.createFrom().item(accounts);
        }
        return store.lockOrOpenAccounts(tx, referrers).map(accounts::plus);
    }

    private BatchRules applyInOrder(List<EventEnvelope<?>> events, Loaded loaded) {
        BatchRules batch = new BatchRules(loaded);
        events.forEach(batch::apply);
        return batch;
    }

    /** What a batch must lock and read, gathered from its events before any statement runs. */
    private static final class Wanted {
        private final Set<String> customers = new HashSet<>();
        private final Set<String> orderIds = new HashSet<>();
        /** Customers placing (or re-rating) orders: their tier history is read. */
        private final Set<String> ordering = new HashSet<>();
        private final List<TierAssignment> tiers = new ArrayList<>();
        private final Map<String, Instant> tierChangedSince = new HashMap<>();
        /** Per customer with a tier change in the batch: their orders stored before it, placed since the change. */
        private Map<String, List<String>> rerating = Map.of();
        /** The orders placed in the batch, by customer and time: the per-customer caps they count against. */
        private final List<Map.Entry<String, Instant>> placedOrders = new ArrayList<>();
        /** The redemptions the saga's outcomes name. */
        private final Set<String> redemptionIds = new HashSet<>();

        static Wanted by(List<EventEnvelope<?>> events) {
            Wanted wanted = new Wanted();
            events.forEach(wanted::add);
            return wanted;
        }

        /**
         * An account is locked (or opened) for the events that move its points; deliveries, tier changes and
         * erasures open none (an erasure renames the rows there are).
         */
        private void add(EventEnvelope<?> event) {
            String customer = event.customerId();
            switch (event.data()) {
                case OrderPlaced placed -> {
                    customers.add(customer);
                    orderIds.add(placed.orderId());
                    ordering.add(customer);
                    placedOrders.add(Map.entry(customer, placed.placedAt()));
                }
                case OrderCancelled cancelled -> {
                    customers.add(customer);
                    orderIds.add(cancelled.orderId());
                }
                case OrderReturned returned -> {
                    customers.add(customer);
                    orderIds.add(returned.orderId());
                }
                case ReviewSubmitted review -> {
                    customers.add(customer);
                    orderIds.add(review.orderId());
                }
                case CustomerRegistered registered -> {
                    customers.add(customer);
                    if (registered.referredBy() != null) {
                        customers.add(registered.referredBy());
                    }
                }
                case TriggerFired birthdayOffer -> customers.add(customer);
                case ShipmentDelivered delivered -> orderIds.add(delivered.orderId());
                case TierChanged changed -> {
                    tiers.add(new TierAssignment(customer, changed.effectiveAt(), changed.toTier()));
                    tierChangedSince.merge(customer, changed.effectiveAt(), (a, b) -> a.isBefore(b) ? a : b);
                }
                case CustomerErased erased -> { } // renames the rows there are: locks nothing up front
                // Not let in by eventTypes(): they move no points.
                case ShipmentDispatched ignored -> { }
                case ShipmentDelayed ignored -> { }
                case ShipmentDeliveryFailed ignored -> { }
                case CustomerUpdated ignored -> { }
                case TierDowngradeAtRisk ignored -> { }
                case PointsChanged ignored -> { }
                case PointsExpiring ignored -> { }
                case NotificationOutcome ignored -> { }
                case ProgrammePublished ignored -> { }
                case RewardRedemptionRequested ignored -> { }
                case RewardIssued issued -> redemptionIds.add(issued.redemptionId());
                case RewardIssueFailed failed -> redemptionIds.add(failed.redemptionId());
                case VoucherRedeemed ignored -> { }
                case VoucherRejected ignored -> { }
                case VoucherReleased ignored -> { }
                case ProductUpdated ignored -> { }
                case dev.retention.contracts.events.CartUpdated ignored -> { }
                case dev.retention.contracts.events.CheckoutStarted ignored -> { }
                case FeedbackRecorded feedback -> customers.add(customer);
                case FeedbackSubmitted ignored -> { }
                case ServiceRecoveryRequested ignored -> { }
                case dev.retention.contracts.events.TriggerHeldOut ignored -> { }
                case dev.retention.contracts.events.InsightsSnapshot ignored -> { }
            }
        }

        /** The accounts of the redemptions found: locked with the others, before the redemptions' rows. */
        private void redemptionsOwnedBy(Map<String, String> owners) {
            customers.addAll(owners.values());
        }

        /** The rule totals (rule, customer, period) the batch's orders count against, under their versions. */
        private Set<RuleUsage.Key> capsCounted(PointsPolicies policies) {
            Set<RuleUsage.Key> keys = new HashSet<>();
            placedOrders.forEach(placed -> keys.addAll(policies.at(placed.getValue()).earningRules()
                    .usageKeys(placed.getKey(), placed.getValue())));
            return keys;
        }

        /** The orders placed since each tier change: they are locked and earn again under the tier then in force. */
        private void rerate(Map<String, List<String>> placedSince) {
            rerating = placedSince;
            placedSince.forEach((customer, ids) -> {
                customers.add(customer);
                orderIds.addAll(ids);
                ordering.add(customer);
            });
        }
    }

    /** What a batch holds once its statements have locked and read it. */
    private record Loaded(LockedAccounts accounts, Map<String, OrderPoints> orders,
                          Map<String, NavigableMap<Instant, String>> tierHistories,
                          Map<String, List<String>> rerating, RuleUsage usage,
                          Map<String, RewardRedemption> redemptions) {

        String tierAt(String customerId, Instant at) {
            NavigableMap<Instant, String> history = tierHistories.get(customerId);
            if (history == null) {
                return null;
            }
            Map.Entry<Instant, String> inForce = history.floorEntry(at);
            return inForce == null ? null : inForce.getValue();
        }
    }

    /** The rules applied to one batch in memory, event by event in arrival order. */
    private final class BatchRules {
        private final Loaded loaded;
        private final LedgerWork work;
        /** Redemptions this batch settled, by id, and the stock its refunds give back (a reward per refund). */
        private final Map<String, RewardRedemption> settled = new HashMap<>();
        private final List<String> stockGivenBack = new ArrayList<>();

        BatchRules(Loaded loaded) {
            this.loaded = loaded;
            this.work = new LedgerWork(loaded.accounts(), loaded.orders(), EventRejectedException::new);
            work.countRuleUsage(loaded.usage());
        }

        void apply(EventEnvelope<?> event) {
            String customer = event.customerId();
            String cause = event.id();
            Instant at = event.time();
            switch (event.data()) {
                case OrderPlaced placed -> orderPlaced(customer, placed, cause, at);
                case OrderCancelled cancelled -> work.record(rulesAt(cancelled.cancelledAt(), at).orderCancelled(
                        work.account(customer), work.order(cancelled.orderId(), customer), cause, at));
                case OrderReturned returned -> work.record(rulesAt(returned.returnedAt(), at).orderReturned(
                        work.account(customer), work.order(returned.orderId(), customer), returned.refundedAmount(),
                        cause, at));
                case ReviewSubmitted review -> work.record(rulesAt(review.submittedAt(), at).reviewSubmitted(
                        work.account(customer), work.order(review.orderId(), customer), review.verifiedPurchase(),
                        cause, at));
                case CustomerRegistered registered -> work.record(rulesAt(registered.registeredAt(), at).registered(
                        work.account(customer), registered.referredBy(), cause, at));
                case TriggerFired birthdayOffer -> work.record(rulesAt(birthdayOffer.firedAt(), at)
                        .birthdayOfferFired(work.account(customer), cause, at));
                case ShipmentDelivered delivered -> rulesAt(delivered.deliveredAt(), at).orderDelivered(
                        work.order(delivered.orderId(), customer), delivered.deliveredAt());
                case TierChanged changed -> tierChanged(customer, changed, cause, at);
                case CustomerErased erased -> work.erase(customer);
                // Not let in by eventTypes(): they move no points.
                case ShipmentDispatched ignored -> { }
                case ShipmentDelayed ignored -> { }
                case ShipmentDeliveryFailed ignored -> { }
                case CustomerUpdated ignored -> { }
                case TierDowngradeAtRisk ignored -> { }
                case PointsChanged ignored -> { }
                case PointsExpiring ignored -> { }
                case NotificationOutcome ignored -> { }
                case ProgrammePublished ignored -> { }
                case RewardRedemptionRequested ignored -> { }
                case RewardIssued issued -> rewardIssued(issued);
                case RewardIssueFailed failed -> rewardIssueFailed(failed, cause, at);
                case VoucherRedeemed ignored -> { }
                case VoucherRejected ignored -> { }
                case VoucherReleased ignored -> { }
                case ProductUpdated ignored -> { }
                case dev.retention.contracts.events.CartUpdated ignored -> { }
                case dev.retention.contracts.events.CheckoutStarted ignored -> { }
                case FeedbackRecorded feedback -> work.record(rulesAt(feedback.recordedAt(), at)
                        .feedbackRecorded(work.account(customer), feedback.orderId(), cause, at));
                case FeedbackSubmitted ignored -> { }
                case ServiceRecoveryRequested ignored -> { }
                case dev.retention.contracts.events.TriggerHeldOut ignored -> { }
                case dev.retention.contracts.events.InsightsSnapshot ignored -> { }
            }
        }

        /** The redemption as this batch left it; null for one this service never made. */
        private RewardRedemption redemption(String redemptionId) {
            RewardRedemption changed = settled.get(redemptionId);
            return changed != null ? changed : loaded.redemptions().get(redemptionId);
        }

        /** Settles a requested redemption as issued; an outcome for a settled or unknown one changes nothing. */
        private void rewardIssued(RewardIssued issued) {
            RewardRedemption redemption = redemption(issued.redemptionId());
            if (redemption == null || redemption.isSettled()) {
                return;
            }
            settled.put(redemption.redemptionId(), redemption.issued(issued.triggerId(), issued.voucherCode(),
                    issued.issuedAt()));
        }

        /**
         * The compensation: the points come back to the account the redemption's row names, the stock taken is given
         * back, and the redemption stops counting against the customer's limit.
         */
        private void rewardIssueFailed(RewardIssueFailed failed, String cause, Instant at) {
            RewardRedemption redemption = redemption(failed.redemptionId());
            if (redemption == null || redemption.isSettled()) {
                return;
            }
            PointsAccount account = work.account(redemption.customerId());
            if (account == null) {
                // Renamed by an erasure between the read of its owner and the lock: the batch is applied again.
                throw new IllegalStateException("the account of redemption " + redemption.redemptionId()
                        + " changed while the batch locked it");
            }
            RewardRedemption refunded = redemption.refunded(failed.reason(), failed.detail(), failed.failedAt());
            work.record(rulesAt(failed.failedAt(), at).refundReward(account, refunded, cause, at));
            settled.put(refunded.redemptionId(), refunded);
            stockGivenBack.add(refunded.rewardId());
        }

        private void orderPlaced(String customer, OrderPlaced placed, String cause, Instant at) {
            OrderPoints known = work.lockedOrder(placed.orderId());
            if (known != null && known.isPlaced() && (known.customerId().equals(customer)
                    || known.customerId().startsWith(PSEUDONYM_PREFIX))) {
                // Placed before (the inbox does not hold order.placed): the same event again, or the same order
                // under another id, in this batch or an earlier one; also after the customer's erasure, when the
                // row names a pseudonym. Another customer's order goes on to be refused by work.order.
                work.leaveUnopened(customer);
                return;
            }
            PointsAccount account = work.account(customer);
            OrderPoints order = work.order(placed.orderId(), customer);
            PointsRules rules = rulesAt(placed.placedAt(), at);
            work.record(rules.orderPlaced(account, order, placed, loaded.tierAt(customer, placed.placedAt()),
                    loaded.usage(), cause, at));
            if (!account.hasOrdered()) {
                PointsAccount referrer = account.referredBy() == null ? null : work.account(account.referredBy());
                work.record(rules.firstOrderPlaced(account, referrer, cause, at));
            }
        }

        /**
         * Recorded up front, so orders of this batch were rated with it; stored orders placed since it was in force
         * earn again under the tier in force when each was placed.
         */
        private void tierChanged(String customer, TierChanged changed, String cause, Instant at) {
            for (String orderId : loaded.rerating().getOrDefault(customer, List.of())) {
                OrderPoints order = work.lockedOrder(orderId);
                if (order == null || order.placedAt().isBefore(changed.effectiveAt())) {
                    continue;
                }
                work.record(rulesAt(order.placedAt(), at).tierCorrection(work.account(customer),
                        work.order(orderId, customer), loaded.tierAt(customer, order.placedAt()), cause, at));
            }
        }
    }
}
