package dev.retention.points.domain;

import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation.CustomerPoints;
import dev.retention.contracts.programme.simulation.PointsSimulation.PointsFigures;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * The points side of a programme simulation (docs/programme.md, "Simulation"): the orders placed in {@code [from, to)}
 * earn again, once under the versions that were in force at their {@code placedAt} and once under a draft, with the
 * live path's own rules ({@link PointsRules#earningBase}, {@link PointsRules#rulePoints}, {@link PointsRules#pointsFor});
 * the period's bonuses are priced again by their count.
 *
 * <p>Fed customer by customer, each customer's orders in {@code placedAt} order, then their bonuses; it keeps one
 * customer's cap usage and totals at a time, the figures, and the {@code top} customers who change most (a bounded
 * heap), so memory does not grow with the history. Orders placed before {@code from} ({@linkplain #warmUpFrom the cap
 * periods holding {@code from}}) only count towards the per-customer caps, under the versions in force, on both sides.
 */
public final class EarningSimulation {

    /** The name of the tier in {@code byTier} for orders placed without a known tier. */
    public static final String NO_TIER = "none";
    /** Orders stored before their earning facts were kept: their stored earning counts on both sides, under this. */
    public static final String STORED_EARNING = PointsRules.ORDER_EARNING;

    /** What one point is worth, by currency, and the currency bonuses count in. */
    public record Valuation(String reportingCurrency, Map<String, BigDecimal> pointValues) {
    }

    /** The valuation in force at a time. */
    @FunctionalInterface
    public interface Valuations {
        Valuation at(Instant time);
    }

    /**
     * An order as points-service stored it.
     *
     * @param earningTier the tier whose multiplier the order's points carry now (a late tier change re-rates it)
     * @param earned      the points it earned (re-rating included): what an order without facts counts
     * @param facts       what the earning was computed from; null for orders stored before they were kept
     */
    public record StoredOrder(String customerId, String orderId, Instant placedAt, String currency,
                              BigDecimal merchandiseValue, String earningTier, long earned, OrderFacts facts) {
    }

    /** A bonus entry of the ledger: its rule ({@code signup.bonus}, ...), when it was written and its points. */
    public record StoredBonus(String customerId, String rule, Instant occurredAt, long points) {
    }

    private final Instant from;
    private final Instant to;
    private final PointsPolicies inForce;
    private final Valuations inForceValues;
    private final PointsPolicy draft;
    private final Valuation draftValue;
    private final int top;
    private final DraftTiers draftTiers;

    private final Figures inForceFigures = new Figures();
    private final Figures draftFigures = new Figures();
    private final PriorityQueue<CustomerPoints> topChanges;
    private long orders;
    private long customers;
    private long customersAffected;

    private String customer;
    private boolean customerInPeriod;
    private long customerInForce;
    private long customerDraft;
    private RuleUsage inForceUsage;
    private RuleUsage draftUsage;

    /**
     * @param inForce       the policies in force at each business time
     * @param inForceValues the point values in force at each business time
     * @param draft         the draft's policy, as if in force over the whole period
     * @param draftValue    the draft's point values
     * @param top           how many customers {@code topChanges} lists
     */
    public EarningSimulation(Instant from, Instant to, PointsPolicies inForce, Valuations inForceValues,
                             PointsPolicy draft, Valuation draftValue, int top) {
        this(from, to, inForce, inForceValues, draft, draftValue, top, DraftTiers.none());
    }

    /**
     * @param draftTiers the tiers the draft gives the customers it moves: on the draft side their orders earn by those
     *                   (the multiplier and the rules' {@code tiers} condition); others keep the stored tiers
     */
    public EarningSimulation(Instant from, Instant to, PointsPolicies inForce, Valuations inForceValues,
                             PointsPolicy draft, Valuation draftValue, int top, DraftTiers draftTiers) {
        this.draftTiers = Objects.requireNonNull(draftTiers, "draftTiers");
        this.from = Objects.requireNonNull(from, "from");
        this.to = Objects.requireNonNull(to, "to");
        this.inForce = inForce;
        this.inForceValues = inForceValues;
        this.draft = draft;
        this.draftValue = draftValue;
        this.top = top;
        // The head is the customer to drop first: the smallest change, and of equal changes the largest id.
        this.topChanges = new PriorityQueue<>(Math.max(1, top + 1), BY_CHANGE.reversed());
    }

    /** Largest absolute difference first, the customer id breaking a tie. */
    public static final Comparator<CustomerPoints> BY_CHANGE = Comparator
            .comparingLong((CustomerPoints c) -> Math.abs(c.draft() - c.inForce())).reversed()
            .thenComparing(CustomerPoints::customerId);

    /**
     * Where the orders must start so that the per-customer caps know what their periods held at {@code from}: the
     * first day of the longest cap period holding {@code from} among the given rules (each in its own time zone).
     */
    public static Instant warmUpFrom(Instant from, List<EarningRules> rules) {
        Instant start = from;
        for (EarningRules earning : rules) {
            for (var rule : earning.rules()) {
                if (rule.caps() != null && rule.caps().perCustomer() != null && rule.caps().period() != null) {
                    Instant periodStart = EarningRules.periodStart(rule.caps().period(), from, earning.zone())
                            .atStartOfDay(earning.zone()).toInstant();
                    if (periodStart.isBefore(start)) {
                        start = periodStart;
                    }
                }
            }
        }
        return start;
    }

    public void accept(StoredOrder order) {
        switchTo(order.customerId());
        if (order.placedAt().isBefore(from)) {
            countTowardsCaps(order);
            return;
        }
        if (!order.placedAt().isBefore(to)) {
            return;
        }
        customerInPeriod = true;
        orders++;
        if (draftUsage == null) {
            draftUsage = inForceUsage.copy(); // the draft takes over the caps' totals as they stood at from
        }
        OrderPlaced placed = order.facts() == null ? null : order.facts().toOrderPlaced(order.orderId(),
                order.placedAt(), order.currency(), order.merchandiseValue());
        String rulesTier = order.facts() == null ? null : order.facts().rulesTier();
        customerInForce += earn(order, placed, order.earningTier(), rulesTier, inForce.at(order.placedAt()),
                inForceUsage, inForceValues.at(order.placedAt()), inForceFigures);
        if (draftTiers.lists(order.customerId())) {
            // The draft moves this customer's tiers: the order earns by the draft's tier at its placedAt, for the
            // multiplier and the rules alike, as the live path rates an order whose tier it knows.
            String draftTier = draftTiers.tierAt(order.customerId(), order.placedAt());
            customerDraft += earn(order, placed, draftTier, draftTier, draft, draftUsage, draftValue, draftFigures);
        } else {
            customerDraft += earn(order, placed, order.earningTier(), rulesTier, draft, draftUsage, draftValue,
                    draftFigures);
        }
    }

    public void accept(StoredBonus bonus) {
        switchTo(bonus.customerId());
        if (bonus.occurredAt().isBefore(from) || !bonus.occurredAt().isBefore(to)) {
            return;
        }
        customerInPeriod = true;
        customerInForce += inForceFigures.bonus(bonus.rule(), bonus.points(), inForceValues.at(bonus.occurredAt()));
        customerDraft += draftFigures.bonus(bonus.rule(), draftBonus(bonus), draftValue);
    }

    /** The draft's amount for the bonus's rule (a rule it does not price keeps its points). */
    private long draftBonus(StoredBonus bonus) {
        return switch (bonus.rule()) {
            case PointsRules.SIGNUP_BONUS -> draft.signupBonus();
            case PointsRules.REVIEW_BONUS -> draft.reviewBonus();
            case PointsRules.REFERRAL_BONUS -> draft.referralBonus();
            case PointsRules.BIRTHDAY_BONUS -> draft.birthdayBonus();
            case PointsRules.FEEDBACK_BONUS -> draft.feedbackBonus();
            default -> bonus.points();
        };
    }

    public PointsSimulation result() {
        switchTo(null);
        List<CustomerPoints> changes = new ArrayList<>(topChanges);
        changes.sort(BY_CHANGE);
        return new PointsSimulation(orders, customers, inForceFigures.figures(), draftFigures.figures(),
                customersAffected, List.copyOf(changes));
    }

    /** Only the earning rules' usage: the order lies before the period, where the versions in force apply. */
    private void countTowardsCaps(StoredOrder order) {
        if (order.facts() == null) {
            return;
        }
        OrderPlaced placed = order.facts().toOrderPlaced(order.orderId(), order.placedAt(), order.currency(),
                order.merchandiseValue());
        PointsRules.under(inForce.at(order.placedAt())).rulePoints(order.customerId(), placed,
                order.facts().rulesTier(), order.facts().firstOrder(), inForceUsage);
    }

    /**
     * The order's points under one side, as the live path computes them: {@code floor((base + rules) x multiplier)},
     * the rules deciding on {@code rulesTier} (stored: the tier they judged when the order was processed), the
     * multiplier that of {@code earningTier} (stored: the tier the order carries now). An order without facts keeps
     * its stored points and tier whatever the tiers given.
     */
    private static long earn(StoredOrder order, OrderPlaced placed, String earningTier, String rulesTier,
                             PointsPolicy policy, RuleUsage usage, Valuation valuation, Figures figures) {
        String carried = placed == null ? order.earningTier() : earningTier;
        String tier = carried == null ? NO_TIER : carried;
        if (placed == null) {
            figures.order(List.of(new RulePoints(STORED_EARNING, order.earned())), order.earned(), tier,
                    order.currency(), valuation);
            return order.earned();
        }
        PointsRules rules = PointsRules.under(policy);
        BigDecimal base = rules.earningBase(placed);
        List<RulePoints> applied = rules.rulePoints(order.customerId(), placed, rulesTier,
                order.facts().firstOrder(), usage);
        long rulePoints = 0;
        for (RulePoints rule : applied) {
            rulePoints += rule.points();
        }
        long points = rules.pointsFor(base, rulePoints, earningTier);
        if (points > 0) { // the live path writes no entry, so no breakdown, for an order that earns nothing
            figures.order(PointsRules.breakdown(base, applied, points), points, tier, order.currency(), valuation);
        }
        return points;
    }

    private void switchTo(String next) {
        if (Objects.equals(next, customer)) {
            return;
        }
        if (customer != null && customerInPeriod) {
            customers++;
            if (customerInForce != customerDraft) {
                customersAffected++;
                if (top > 0) {
                    topChanges.add(new CustomerPoints(customer, customerInForce, customerDraft));
                    if (topChanges.size() > top) {
                        topChanges.poll();
                    }
                }
            }
        }
        customer = next;
        customerInPeriod = false;
        customerInForce = 0;
        customerDraft = 0;
        inForceUsage = RuleUsage.none();
        draftUsage = null;
    }

    /** One side's figures as they add up. */
    private static final class Figures {
        private long issued;
        private final Map<String, Long> byRule = new TreeMap<>();
        private final Map<String, Long> byTier = new TreeMap<>();
        /** Points by currency and by what one point was worth: multiplied once, at the end. */
        private final Map<String, Map<BigDecimal, Long>> pointsByValue = new TreeMap<>();

        void order(List<RulePoints> parts, long points, String tier, String currency, Valuation valuation) {
            issued += points;
            for (RulePoints part : parts) {
                byRule.merge(part.ruleId(), part.points(), Long::sum);
            }
            byTier.merge(tier, points, Long::sum);
            value(currency, points, valuation);
        }

        long bonus(String rule, long points, Valuation valuation) {
            if (points <= 0) {
                return 0;
            }
            issued += points;
            byRule.merge(rule, points, Long::sum);
            value(valuation.reportingCurrency(), points, valuation);
            return points;
        }

        private void value(String currency, long points, Valuation valuation) {
            BigDecimal pointValue = currency == null ? null : valuation.pointValues().get(currency);
            if (pointValue != null && points != 0) {
                pointsByValue.computeIfAbsent(currency, c -> new HashMap<>()).merge(pointValue, points, Long::sum);
            }
        }

        PointsFigures figures() {
            Map<String, BigDecimal> liability = new TreeMap<>();
            pointsByValue.forEach((currency, byValue) -> byValue.forEach((value, points) ->
                    liability.merge(currency, value.multiply(BigDecimal.valueOf(points)), BigDecimal::add)));
            return new PointsFigures(issued, Collections.unmodifiableMap(byRule), Collections.unmodifiableMap(byTier),
                    Collections.unmodifiableMap(liability));
        }
    }
}
