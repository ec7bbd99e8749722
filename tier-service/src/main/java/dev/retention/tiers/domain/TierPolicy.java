package dev.retention.tiers.domain;

import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Tier rules. Qualifying spend is the net value of the orders placed within the rolling window before {@code now};
 * reaching a higher threshold upgrades at once; falling under the current threshold starts a grace period, a
 * warning goes out {@code riskNotice} before it ends, and the downgrade happens when it ends unless the spend has
 * recovered. The result depends only on the orders and the time, not on the order in which events arrived.
 */
public final class TierPolicy {

    private final TierLadder ladder;
    private final Duration window;
    private final Duration grace;
    private final Duration riskNotice;
    private final String currency;

    public TierPolicy(TierLadder ladder, Duration window, Duration grace, Duration riskNotice, String currency) {
        this.ladder = ladder;
        this.window = window;
        this.grace = grace;
        this.riskNotice = riskNotice;
        this.currency = currency;
    }

    public TierLadder ladder() {
        return ladder;
    }

    public String currency() {
        return currency;
    }

    public Duration window() {
        return window;
    }

    public BigDecimal qualifyingSpend(Collection<QualifyingOrder> orders, Instant now) {
        Instant from = now.minus(window);
        return orders.stream().filter(o -> o.placedAt().isAfter(from) && !o.placedAt().isAfter(now))
                .map(QualifyingOrder::net).reduce(BigDecimal.ZERO, BigDecimal::add);
    }

    /** Re-evaluates one customer at {@code now}: the new status and what to publish. */
    public Evaluation evaluate(TierStatus status, Collection<QualifyingOrder> orders, Instant now) {
        BigDecimal spend = qualifyingSpend(orders, now);
        Tier reached = ladder.tierFor(spend);
        List<EventData> events = new ArrayList<>();
        String tier = status.tier();
        Instant since = status.since();
        Instant belowSince = status.belowSince();
        Instant riskNotifiedFor = status.riskNotifiedFor();
        if (tier == null) {
            events.add(changed(null, reached, TierChanged.Direction.INITIAL, "first qualifying event", spend, now));
            tier = reached.name();
            since = now;
        } else {
            Tier current = ladder.named(tier);
            if (ladder.rank(reached) > ladder.rank(current)) {
                events.add(changed(current, reached, TierChanged.Direction.UP, "qualifying spend reached "
                        + reached.threshold().toPlainString() + " " + currency, spend, now));
                tier = reached.name();
                since = now;
                belowSince = null;
            } else if (ladder.rank(reached) < ladder.rank(current)) {
                belowSince = belowSince == null ? now : belowSince;
                Instant downgradeAt = belowSince.plus(grace);
                if (!now.isBefore(downgradeAt)) {
                    events.add(changed(current, reached, TierChanged.Direction.DOWN, "qualifying spend below "
                            + current.threshold().toPlainString() + " " + currency + " after the grace period",
                            spend, now));
                    tier = reached.name();
                    since = now;
                    belowSince = null;
                } else if (!now.isBefore(downgradeAt.minus(riskNotice)) && !downgradeAt.equals(riskNotifiedFor)) {
                    events.add(new TierDowngradeAtRisk(current.name(), reached.name(), money(spend),
                            money(current.threshold().subtract(spend)),
                            downgradeAt.atOffset(ZoneOffset.UTC).toLocalDate()));
                    riskNotifiedFor = downgradeAt;
                }
            } else {
                belowSince = null;
            }
        }
        TierStatus next = new TierStatus(tier, since, belowSince, riskNotifiedFor, spend, null);
        return new Evaluation(withNextEvaluation(next, orders, now), events);
    }

    /** Where a customer with a tier stands at {@code now}: spend, the next tier, until when the tier is safe. */
    public TierStanding standing(TierStatus status, Collection<QualifyingOrder> orders, Instant now) {
        Tier current = ladder.named(status.tier());
        return new TierStanding(status, qualifyingSpend(orders, now), ladder.above(current),
                safeUntil(status, orders, now));
    }

    /** The date the current tier holds until if nothing is bought: when spend would drop under its threshold. */
    public Optional<Instant> safeUntil(TierStatus status, Collection<QualifyingOrder> orders, Instant now) {
        if (status.tier() == null) {
            return Optional.empty();
        }
        if (status.belowSince() != null) {
            return Optional.of(status.belowSince().plus(grace));
        }
        BigDecimal threshold = ladder.named(status.tier()).threshold();
        if (threshold.signum() == 0) {
            return Optional.empty();
        }
        List<QualifyingOrder> counting = orders.stream()
                .filter(o -> o.placedAt().isAfter(now.minus(window)) && !o.placedAt().isAfter(now))
                .sorted(java.util.Comparator.comparing(QualifyingOrder::placedAt)).toList();
        BigDecimal spend = counting.stream().map(QualifyingOrder::net).reduce(BigDecimal.ZERO, BigDecimal::add);
        for (QualifyingOrder order : counting) {
            spend = spend.subtract(order.net());
            if (spend.compareTo(threshold) < 0) {
                return Optional.of(order.placedAt().plus(window).plus(grace));
            }
        }
        return Optional.empty();
    }

    /** The next moment anything can change without new events: an order leaving the window, a warning, a downgrade. */
    private TierStatus withNextEvaluation(TierStatus status, Collection<QualifyingOrder> orders, Instant now) {
        Instant next = orders.stream().map(o -> o.placedAt().plus(window)).filter(t -> t.isAfter(now))
                .min(Instant::compareTo).orElse(null);
        if (status.belowSince() != null) {
            Instant downgradeAt = status.belowSince().plus(grace);
            Instant warnAt = downgradeAt.minus(riskNotice);
            if (!downgradeAt.equals(status.riskNotifiedFor()) && warnAt.isAfter(now)) {
                next = earliest(next, warnAt);
            }
            next = earliest(next, downgradeAt);
        }
        return new TierStatus(status.tier(), status.since(), status.belowSince(), status.riskNotifiedFor(),
                status.qualifyingSpend(), next);
    }

    private static Instant earliest(Instant a, Instant b) {
        return a == null || b.isBefore(a) ? b : a;
    }

    private TierChanged changed(Tier from, Tier to, TierChanged.Direction direction, String reason, BigDecimal spend,
                                Instant at) {
        return new TierChanged(from == null ? null : from.name(), to.name(), direction, reason, money(spend), at);
    }

    private Money money(BigDecimal amount) {
        return new Money(amount.setScale(2, java.math.RoundingMode.HALF_UP), currency);
    }

    /** The status after an evaluation and the events it publishes ({@code tier.changed}, {@code tier.downgrade-at-risk}). */
    public record Evaluation(TierStatus status, List<EventData> events) {
    }
}
