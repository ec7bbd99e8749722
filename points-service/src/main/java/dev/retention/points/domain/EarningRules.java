package dev.retention.points.domain;

import dev.retention.contracts.events.OrderLine;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.Caps;
import dev.retention.contracts.programme.ProgrammeDocument.Conditions;
import dev.retention.contracts.programme.ProgrammeDocument.EarningRule;
import dev.retention.contracts.programme.ProgrammeDocument.Stacking;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.temporal.TemporalAdjusters;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The programme's earning rules beyond the base rate (docs/programme.md, "Earning rules"). For one order it decides
 * which rules apply and how many points each gives, before the tier multiplier:
 * <ol>
 *     <li>each rule, in the listed order, is matched against the order (every condition set must hold; a rule with
 *     line conditions needs at least one qualifying line);</li>
 *     <li>a matching rule's points are its effect on the qualifying lines, rounded down to whole points;</li>
 *     <li>then its per-order cap, then what its per-customer cap leaves in the calendar period of the order's time;</li>
 *     <li>the stacking mode keeps the points of every matching rule (SUM), of the one giving most after its caps
 *     (HIGHEST, the first listed wins a tie), or of the first matching rule (FIRST_MATCH, even when its caps leave it
 *     nothing);</li>
 *     <li>only the kept rules count towards their per-customer caps.</li>
 * </ol>
 * The tier multiplier then applies to the base plus these points ({@link PointsRules}). A plain function of the
 * rules, the order and the usage so far, so that a simulation can run it over stored history.
 *
 * @param zone       windows, days of the week and cap periods are read in it
 * @param lowestTier what a customer with no known tier counts as for the tier condition (null: no tier)
 */
public record EarningRules(Stacking stacking, List<EarningRule> rules, ZoneId zone, String lowestTier) {

    /** No rules: the base rate alone, as before the programme was data. */
    public static final EarningRules NONE = new EarningRules(Stacking.SUM, List.of(), ZoneId.of("UTC"), null);

    public EarningRules {
        Objects.requireNonNull(stacking, "stacking");
        Objects.requireNonNull(zone, "zone");
        rules = List.copyOf(rules);
    }

    public boolean isEmpty() {
        return rules.isEmpty();
    }

    /**
     * The order as the conditions see it.
     *
     * @param eligibleValue the merchandise value that earns: what was not paid with points
     * @param pointsPerUnit the currency's base rate
     * @param tier          the customer's tier when the order was placed (null: none known)
     * @param firstOrder    whether it is the customer's first order
     */
    public record Order(String customerId, OrderPlaced placed, BigDecimal eligibleValue, BigDecimal pointsPerUnit,
                        String tier, boolean firstOrder) {
    }

    /** The rules that gave points to one order, in the listed order, each with its points before the tier multiplier. */
    public List<RulePoints> apply(Order order, RuleUsage usage) {
        if (rules.isEmpty()) {
            return List.of();
        }
        List<Candidate> matching = new ArrayList<>();
        for (EarningRule rule : rules) {
            Optional<List<OrderLine>> lines = qualifyingLines(rule.when(), order);
            if (lines.isEmpty()) {
                continue;
            }
            long points = capped(rule, effect(rule, order, lines.get()), order, usage);
            matching.add(new Candidate(rule, points));
            if (stacking == Stacking.FIRST_MATCH) {
                break;
            }
        }
        List<Candidate> kept = switch (stacking) {
            case SUM, FIRST_MATCH -> matching;
            case HIGHEST -> matching.stream()
                    .reduce((best, next) -> next.points > best.points ? next : best)
                    .map(List::of).orElse(List.of());
        };
        List<RulePoints> applied = new ArrayList<>(kept.size());
        for (Candidate candidate : kept) {
            counted(candidate.rule, order, usage, candidate.points);
            applied.add(new RulePoints(candidate.rule.id(), candidate.points));
        }
        return applied;
    }

    private record Candidate(EarningRule rule, long points) {
    }

    /**
     * The lines a matching rule applies to (all of them when it has no line conditions); empty when it does not match.
     */
    Optional<List<OrderLine>> qualifyingLines(Conditions when, Order order) {
        OrderPlaced placed = order.placed();
        List<OrderLine> lines = placed.lines() == null ? List.of() : placed.lines();
        if (when == null) {
            return Optional.of(lines);
        }
        if (!isEmpty(when.channels()) && !when.channels().contains(placed.channel())) {
            return Optional.empty();
        }
        if (when.minimumOrderValue() != null && !when.minimumOrderValue().isEmpty()) {
            BigDecimal minimum = when.minimumOrderValue().get(placed.currency());
            if (minimum == null || placed.merchandiseTotal().compareTo(minimum) < 0) {
                return Optional.empty();
            }
        }
        if (!isEmpty(when.tiers())) {
            String tier = order.tier() == null ? lowestTier : order.tier();
            if (!when.tiers().contains(tier)) {
                return Optional.empty();
            }
        }
        if (when.window() != null && !when.window().contains(placed.placedAt())) {
            return Optional.empty();
        }
        if (!isEmpty(when.daysOfWeek())
                && !when.daysOfWeek().contains(placed.placedAt().atZone(zone).getDayOfWeek())) {
            return Optional.empty();
        }
        if (when.firstOrder() != null && when.firstOrder() != order.firstOrder()) {
            return Optional.empty();
        }
        if (isEmpty(when.skus()) && isEmpty(when.skuPrefixes()) && isEmpty(when.categories())) {
            return Optional.of(lines);
        }
        List<OrderLine> qualifying = lines.stream().filter(line -> chosen(when, line)).toList();
        return qualifying.isEmpty() ? Optional.empty() : Optional.of(qualifying);
    }

    /** A line qualifies when it matches any of the SKUs, SKU prefixes or categories. */
    private static boolean chosen(Conditions when, OrderLine line) {
        return (when.skus() != null && when.skus().contains(line.sku()))
                || (when.skuPrefixes() != null && line.sku() != null
                && when.skuPrefixes().stream().anyMatch(line.sku()::startsWith))
                || (when.categories() != null && line.category() != null && when.categories().contains(line.category()));
    }

    /**
     * The effect's points, rounded down. The qualifying value is the eligible value of the qualifying lines (their
     * line totals times the share not paid with points); with no line conditions it is the order's whole eligible
     * value, the same figure the base rate earns on.
     */
    long effect(EarningRule rule, Order order, List<OrderLine> lines) {
        BigDecimal value = rule.effect().value();
        BigDecimal points = switch (rule.effect().type()) {
            case POINTS_PER_UNIT -> qualifyingValue(rule, order, lines).multiply(value);
            case MULTIPLIER -> qualifyingValue(rule, order, lines).multiply(order.pointsPerUnit())
                    .multiply(value.subtract(BigDecimal.ONE));
            case FIXED_PER_ORDER -> value;
            case FIXED_PER_LINE -> value.multiply(BigDecimal.valueOf(lines.size()));
        };
        return points.signum() <= 0 ? 0 : points.setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    private static BigDecimal qualifyingValue(EarningRule rule, Order order, List<OrderLine> lines) {
        BigDecimal eligible = order.eligibleValue();
        Conditions when = rule.when();
        if (when == null || (isEmpty(when.skus()) && isEmpty(when.skuPrefixes()) && isEmpty(when.categories()))) {
            return eligible;
        }
        BigDecimal merchandise = order.placed().merchandiseTotal();
        if (merchandise.signum() <= 0) {
            return BigDecimal.ZERO;
        }
        BigDecimal linesTotal = lines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
        // The part paid with points earns nothing: each line keeps the order's eligible share of its value.
        return linesTotal.multiply(eligible).divide(merchandise, 10, RoundingMode.DOWN).min(eligible);
    }

    /** Per-order cap first, then what the per-customer cap leaves in the period of the order's time. */
    private long capped(EarningRule rule, long points, Order order, RuleUsage usage) {
        Caps caps = rule.caps();
        if (caps == null) {
            return points;
        }
        long capped = caps.perOrder() == null ? points : Math.min(points, caps.perOrder());
        if (caps.perCustomer() != null && caps.period() != null) {
            long used = usage.used(usageKey(rule, order));
            capped = Math.min(capped, Math.max(0, caps.perCustomer() - used));
        }
        return capped;
    }

    private void counted(EarningRule rule, Order order, RuleUsage usage, long points) {
        if (rule.caps() != null && rule.caps().perCustomer() != null && rule.caps().period() != null && points > 0) {
            usage.add(usageKey(rule, order), points);
        }
    }

    private RuleUsage.Key usageKey(EarningRule rule, Order order) {
        CapPeriod period = rule.caps().period();
        return new RuleUsage.Key(order.customerId(), rule.id(), period,
                periodStart(period, order.placed().placedAt(), zone));
    }

    /**
     * The per-customer caps a customer's order at {@code at} counts against: for the usage the order needs loaded.
     */
    public List<RuleUsage.Key> usageKeys(String customerId, Instant at) {
        List<RuleUsage.Key> keys = new ArrayList<>();
        for (EarningRule rule : rules) {
            Caps caps = rule.caps();
            if (caps != null && caps.perCustomer() != null && caps.period() != null) {
                keys.add(new RuleUsage.Key(customerId, rule.id(), caps.period(),
                        periodStart(caps.period(), at, zone)));
            }
        }
        return keys;
    }

    /** The first day of the calendar period holding {@code at} in {@code zone}; weeks start on Monday (ISO 8601). */
    public static LocalDate periodStart(CapPeriod period, Instant at, ZoneId zone) {
        ZonedDateTime local = at.atZone(zone);
        LocalDate day = local.toLocalDate();
        return switch (period) {
            case DAY -> day;
            case WEEK -> day.with(TemporalAdjusters.previousOrSame(DayOfWeek.MONDAY));
            case MONTH -> day.withDayOfMonth(1);
            case YEAR -> day.withDayOfYear(1);
        };
    }

    private static boolean isEmpty(List<?> list) {
        return list == null || list.isEmpty();
    }
}
