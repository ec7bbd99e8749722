package dev.retention.insights.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.eventing.BatchHandler;
import dev.retention.insights.config.InsightsConfig;
import dev.retention.insights.domain.ArmFigures;
import dev.retention.insights.domain.CustomerRetention;
import dev.retention.insights.domain.CustomerRetention.Counter;
import dev.retention.insights.domain.PointsFigures;
import dev.retention.insights.persistence.InsightStore;
import dev.retention.insights.persistence.InsightStore.CustomerRow;
import dev.retention.insights.persistence.InsightStore.ExposureState;
import dev.retention.insights.persistence.InsightStore.NewExposure;
import dev.retention.insights.persistence.InsightStore.NewOrder;
import dev.retention.insights.persistence.InsightStore.RedemptionCell;
import dev.retention.insights.persistence.InsightStore.UpliftCell;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Keeps the insights' aggregates up to date, a batch of events at a time, from the shop's orders and the platform's
 * output topics only. Every aggregate is a sum that the batch adds its change to, so the cost of an event is its
 * customer's rows, not the history. The kit's inbox applies each event once; the customer rows are locked first, so
 * an order and the trigger it converts are matched in whichever order their topics deliver them.
 */
@ApplicationScoped
public class ApplyInsightEvents implements BatchHandler {

    private static final Set<EventType> TYPES = EnumSet.of(EventType.ORDER_PLACED, EventType.TRIGGER_FIRED,
            EventType.TRIGGER_HELD_OUT, EventType.NOTIFICATION_OUTCOME, EventType.VOUCHER_REDEEMED,
            EventType.POINTS_CHANGED, EventType.TIER_CHANGED);

    private final InsightStore store;
    private final ReportingCurrency currency;
    private final Duration conversionWindow;
    private final int activeMonths;

    public ApplyInsightEvents(InsightStore store, ReportingCurrency currency, InsightsConfig config) {
        this.store = store;
        this.currency = currency;
        this.conversionWindow = config.conversionWindow();
        this.activeMonths = config.activeMonths();
    }

    @Override
    public Set<EventType> eventTypes() {
        return TYPES;
    }

    /** What the batch's events ask for, in event order. */
    private static final class Plan {
        final Set<String> customers = new HashSet<>();
        final List<NewOrder> orders = new ArrayList<>();
        final Map<String, NewExposure> exposures = new LinkedHashMap<>();
        final Set<String> sent = new HashSet<>();
        final Set<String> sentCustomers = new HashSet<>();
        final Map<String, RedemptionCell> redemptions = new HashMap<>();
        /** Points and tier events in batch order: each changes its customer's running balance or tier. */
        final List<EventEnvelope<?>> ledger = new ArrayList<>();
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        Plan plan = plan(events);
        return store.lockCustomers(tx, plan.customers)
                .chain(customers -> applyLedger(tx, plan, customers))
                .chain(() -> store.addRedemptions(tx, plan.redemptions.values()))
                .chain(() -> store.insertOrders(tx, plan.orders))
                .chain(newOrders -> countRetention(tx, newOrders)
                        .chain(() -> store.insertExposures(tx, List.copyOf(plan.exposures.values())))
                        .chain(newExposures -> store.insertSent(tx, plan.sent)
                                .chain(newlySent -> reconcileExposures(tx, plan, newOrders, newExposures))))
                .replaceWith(List.of());
    }

    private Plan plan(List<EventEnvelope<?>> events) {
        Plan plan = new Plan();
        for (EventEnvelope<?> event : events) {
            String customer = event.customerId();
            switch (event.data()) {
                case OrderPlaced order -> {
                    plan.customers.add(customer);
                    plan.orders.add(new NewOrder(order.orderId(), customer, order.placedAt(),
                            currency.convert(order.orderTotal(), order.currency(), order.placedAt())));
                }
                case TriggerFired fired when fired.triggerType().marketing() -> {
                    plan.customers.add(customer);
                    plan.exposures.putIfAbsent(fired.triggerId(), new NewExposure(fired.triggerId(), customer,
                            fired.triggerType().wireName(), campaign(fired.campaignId()), false, fired.firedAt()));
                }
                case TriggerHeldOut heldOut -> {
                    plan.customers.add(customer);
                    plan.exposures.putIfAbsent(heldOut.triggerId(), new NewExposure(heldOut.triggerId(), customer,
                            heldOut.triggerType().wireName(), campaign(heldOut.campaignId()), true,
                            heldOut.heldOutAt()));
                }
                case NotificationOutcome outcome when outcome.outcome() == NotificationOutcome.Outcome.SENT
                        && outcome.triggerType() != null && outcome.triggerType().marketing() -> {
                    plan.customers.add(customer);
                    plan.sent.add(outcome.triggerId());
                    plan.sentCustomers.add(customer);
                }
                case VoucherRedeemed redeemed when redeemed.triggerType() != null
                        && redeemed.triggerType().marketing() -> {
                    YearMonth month = month(redeemed.redeemedAt());
                    String campaign = campaign(redeemed.campaignId());
                    BigDecimal discount = redeemed.discount() == null ? BigDecimal.ZERO : currency.convert(
                            redeemed.discount().amount(), redeemed.discount().currency(), redeemed.redeemedAt());
                    plan.redemptions.merge(redeemed.triggerType().wireName() + "\u0000" + campaign + "\u0000" + month,
                            new RedemptionCell(redeemed.triggerType().wireName(), campaign, month, 1, discount),
                            (a, b) -> new RedemptionCell(a.triggerType(), a.campaignId(), a.month(),
                                    a.redeemed() + b.redeemed(), a.discount().add(b.discount())));
                }
                case PointsChanged ignored -> {
                    plan.customers.add(customer);
                    plan.ledger.add(event);
                }
                case TierChanged ignored -> {
                    plan.customers.add(customer);
                    plan.ledger.add(event);
                }
                default -> { } // a service trigger, another outcome: nothing to measure
            }
        }
        return plan;
    }

    /**
     * Points and tier events in batch order against each customer's running balance and tier: the month's flows by
     * kind, the change of the outstanding points, and the liability moved between tiers when a customer's tier changes.
     */
    private Uni<Void> applyLedger(SqlConnection tx, Plan plan, Map<String, CustomerRow> customers) {
        if (plan.ledger.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Map<String, CustomerRow> changed = new HashMap<>();
        Map<YearMonth, Map<String, Long>> points = new TreeMap<>();
        Map<YearMonth, Map<String, Long>> tiers = new TreeMap<>();
        Map<String, long[]> liability = new HashMap<>();
        for (EventEnvelope<?> event : plan.ledger) {
            CustomerRow row = changed.getOrDefault(event.customerId(), customers.get(event.customerId()));
            String tier = row.tier() == null ? "" : row.tier();
            if (event.data() instanceof PointsChanged change) {
                YearMonth month = month(change.occurredAt());
                Map<String, Long> kinds = points.computeIfAbsent(month, m -> new HashMap<>());
                kinds.merge(change.kind().name(), change.points(), Long::sum);
                long availableChange = change.availableAfter() - row.available();
                long pendingChange = change.pendingAfter() - row.pending();
                kinds.merge(PointsFigures.OUTSTANDING, availableChange + pendingChange, Long::sum);
                add(liability, tier, availableChange, pendingChange);
                changed.put(row.customerId(), new CustomerRow(row.customerId(), row.tier(), change.availableAfter(),
                        change.pendingAfter()));
            } else if (event.data() instanceof TierChanged change) {
                YearMonth month = month(change.effectiveAt());
                Map<String, Long> byTier = tiers.computeIfAbsent(month, m -> new HashMap<>());
                if (change.fromTier() != null) {
                    byTier.merge(change.fromTier(), -1L, Long::sum);
                }
                byTier.merge(change.toTier(), 1L, Long::sum);
                add(liability, tier, -row.available(), -row.pending());
                add(liability, change.toTier(), row.available(), row.pending());
                changed.put(row.customerId(), new CustomerRow(row.customerId(), change.toTier(), row.available(),
                        row.pending()));
            }
        }
        return store.addPointsMonths(tx, points)
                .chain(() -> store.addTierMonths(tx, tiers))
                .chain(() -> store.addLiability(tx, liability))
                .chain(() -> store.saveCustomers(tx, changed.values()));
    }

    /** The retention counters the new orders move: each customer's change of months, counted from their months. */
    private Uni<Void> countRetention(SqlConnection tx, List<NewOrder> newOrders) {
        if (newOrders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        Set<String> customers = new HashSet<>();
        newOrders.forEach(order -> customers.add(order.customerId()));
        return store.orderMonths(tx, customers).chain(before -> {
            Map<String, SortedMap<YearMonth, Integer>> after = new HashMap<>();
            Map<String, SortedMap<YearMonth, Integer>> changedMonths = new HashMap<>();
            for (NewOrder order : newOrders) {
                YearMonth month = month(order.placedAt());
                after.computeIfAbsent(order.customerId(),
                        c -> new TreeMap<>(before.getOrDefault(c, new TreeMap<>()))).merge(month, 1, Integer::sum);
                changedMonths.computeIfAbsent(order.customerId(), c -> new TreeMap<>())
                        .put(month, after.get(order.customerId()).get(month));
            }
            Map<Counter, Long> counters = new HashMap<>();
            after.forEach((customer, months) -> CustomerRetention.change(
                    before.getOrDefault(customer, new TreeMap<>()), months, activeMonths)
                    .forEach((counter, change) -> counters.merge(counter, change, Long::sum)));
            return store.saveOrderMonths(tx, changedMonths).chain(() -> store.addRetentionCounters(tx, counters));
        });
    }

    /**
     * Brings each exposure of the customers concerned in line with their orders and sent markers: a new exposure adds
     * itself to its cell, an older one the change of its conversion, revenue or sent state.
     */
    private Uni<Void> reconcileExposures(SqlConnection tx, Plan plan, List<NewOrder> newOrders,
                                         Set<String> newExposures) {
        Set<String> customers = new HashSet<>();
        newOrders.forEach(order -> customers.add(order.customerId()));
        plan.exposures.values().stream().filter(e -> newExposures.contains(e.triggerId()))
                .forEach(e -> customers.add(e.customerId()));
        customers.addAll(plan.sentCustomers);
        if (customers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return store.exposureStates(tx, customers, conversionWindow).chain(states -> {
            List<ExposureState> changed = new ArrayList<>();
            Map<String, UpliftCell> cells = new HashMap<>();
            for (ExposureState state : states) {
                boolean isNew = newExposures.contains(state.triggerId());
                ArmFigures change = isNew ? state.now() : ArmFigures.change(state.stored(), state.now());
                if (change.isZero()) {
                    continue;
                }
                if (!state.outcomeUnchanged()) {
                    changed.add(state);
                }
                YearMonth month = month(state.exposedAt());
                cells.merge(state.triggerType() + "\u0000" + state.campaignId() + "\u0000" + state.heldOut() + "\u0000"
                                + month, new UpliftCell(state.triggerType(), state.campaignId(), state.heldOut(), month,
                                change),
                        (a, b) -> new UpliftCell(a.triggerType(), a.campaignId(), a.heldOut(), a.month(),
                                a.figures().plus(b.figures())));
            }
            return store.updateExposures(tx, changed).chain(() -> store.addUpliftCells(tx, cells.values()));
        });
    }

    private static void add(Map<String, long[]> liability, String tier, long available, long pending) {
        long[] sums = liability.computeIfAbsent(tier, t -> new long[2]);
        sums[0] += available;
        sums[1] += pending;
    }

    /** Exposures of no campaign (the built-in triggers) are kept under the empty campaign id. */
    private static String campaign(String campaignId) {
        return campaignId == null ? "" : campaignId;
    }

    static YearMonth month(Instant at) {
        return YearMonth.from(at.atOffset(ZoneOffset.UTC));
    }
}
