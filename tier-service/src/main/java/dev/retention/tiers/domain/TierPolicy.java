package dev.retention.tiers.domain;

import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.programme.ProgrammeDocument;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.Optional;
import java.util.stream.Stream;

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
    private final Map<String, BigDecimal> exchangeRates;

    private TierPolicy(Builder builder) {
        this.ladder = Objects.requireNonNull(builder.ladder, "ladder");
        this.window = Objects.requireNonNull(builder.window, "window");
        this.grace = Objects.requireNonNull(builder.grace, "grace");
        this.riskNotice = Objects.requireNonNull(builder.riskNotice, "riskNotice");
        this.currency = Objects.requireNonNull(builder.currency, "currency");
        this.exchangeRates = Map.copyOf(Objects.requireNonNull(builder.exchangeRates, "exchangeRates"));
        if (window.isNegative() || window.isZero() || grace.isNegative() || riskNotice.isNegative()) {
            throw new IllegalArgumentException("window must be positive, grace and riskNotice not negative");
        }
        BigDecimal own = exchangeRates.get(currency);
        if (own == null || own.compareTo(BigDecimal.ONE) != 0) {
            throw new IllegalArgumentException("the reporting currency " + currency + " needs the exchange rate 1");
        }
        exchangeRates.forEach((code, rate) -> {
            if (rate.signum() <= 0) {
                throw new IllegalArgumentException("the exchange rate of " + code + " must be positive");
            }
        });
    }

    /**
     * The tier rules of a programme version: its tiers (names, thresholds, multipliers, benefits), window, grace and
     * risk notice, its reporting currency and every currency's exchange rate into it.
     *
     * @throws IllegalArgumentException naming the part of the document tier-service cannot apply
     */
    public static TierPolicy from(ProgrammeDocument document) {
        ProgrammeDocument.Tiers tiers = document.tiers();
        if (tiers == null || tiers.levels() == null || tiers.levels().isEmpty()) {
            throw new IllegalArgumentException("tiers.levels: at least one tier is needed");
        }
        Set<String> names = new HashSet<>();
        for (ProgrammeDocument.Tier tier : tiers.levels()) {
            if (tier.name() == null || !names.add(tier.name())) {
                throw new IllegalArgumentException("tiers.levels: the tier name " + tier.name() + " is not unique");
            }
            if (tier.threshold() == null || tier.threshold().signum() < 0) {
                throw new IllegalArgumentException("tiers.levels: " + tier.name() + "'s threshold must be 0 or more");
            }
        }
        if (tiers.window() == null || tiers.grace() == null || tiers.riskNotice() == null) {
            throw new IllegalArgumentException("tiers: window, grace and riskNotice are needed");
        }
        if (document.currencies() == null || document.currencies().isEmpty()) {
            throw new IllegalArgumentException("currencies: at least the reporting currency is needed");
        }
        Map<String, BigDecimal> rates = new TreeMap<>();
        document.currencies().forEach((code, settings) -> {
            if (settings == null || settings.exchangeRate() == null) {
                throw new IllegalArgumentException("currencies." + code + ".exchangeRate is needed");
            }
            rates.put(code, settings.exchangeRate());
        });
        try {
            return builder()
                    .ladder(new TierLadder(tiers.levels().stream()
                            .map(t -> new Tier(t.name(), t.threshold(),
                                    t.multiplier() == null ? BigDecimal.ONE : t.multiplier(),
                                    t.benefits() == null ? "none" : t.benefits()))
                            .toList()))
                    .window(tiers.window())
                    .grace(tiers.grace())
                    .riskNotice(tiers.riskNotice())
                    .currency(document.reportingCurrency())
                    .exchangeRates(rates)
                    .build();
        } catch (NullPointerException | IllegalArgumentException e) {
            throw new IllegalArgumentException("tiers: " + e.getMessage(), e);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Every setting is required: a policy never runs on a forgotten default. */
    public static final class Builder {
        private TierLadder ladder;
        private Duration window;
        private Duration grace;
        private Duration riskNotice;
        private String currency;
        private Map<String, BigDecimal> exchangeRates;

        private Builder() {
        }

        public Builder ladder(TierLadder ladder) {
            this.ladder = ladder;
            return this;
        }

        /** How far back orders count towards qualifying spend. */
        public Builder window(Duration window) {
            this.window = window;
            return this;
        }

        /** How long spend may stay under the tier's threshold before the downgrade. */
        public Builder grace(Duration grace) {
            this.grace = grace;
            return this;
        }

        /** How long before the downgrade the customer is warned. */
        public Builder riskNotice(Duration riskNotice) {
            this.riskNotice = riskNotice;
            return this;
        }

        /** The base currency of thresholds and qualifying spend. */
        public Builder currency(String currency) {
            this.currency = currency;
            return this;
        }

        /** Value of one unit of each accepted currency in the base currency; its own rate is 1. */
        public Builder exchangeRates(Map<String, BigDecimal> exchangeRates) {
            this.exchangeRates = exchangeRates;
            return this;
        }

        public TierPolicy build() {
            return new TierPolicy(this);
        }
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

    public Map<String, BigDecimal> exchangeRates() {
        return exchangeRates;
    }

    /** The amount in the base currency; empty for a currency without an exchange rate. */
    public Optional<BigDecimal> toBase(BigDecimal amount, String currency) {
        return Optional.ofNullable(exchangeRates.get(currency)).map(amount::multiply);
    }

    /**
     * Whether both policies move the same customers the same way at the same time: the same tier names and
     * thresholds, window, grace and risk notice. Multipliers, benefits and exchange rates do not move anyone (spend
     * is stored in the base currency as converted when the order was placed).
     */
    public boolean movesLike(TierPolicy other) {
        return currency.equals(other.currency) && window.equals(other.window) && grace.equals(other.grace)
                && riskNotice.equals(other.riskNotice) && sameTiers(other, false);
    }

    private boolean sameTiers(TierPolicy other, boolean everything) {
        List<Tier> mine = ladder.tiers();
        List<Tier> theirs = other.ladder.tiers();
        if (mine.size() != theirs.size()) {
            return false;
        }
        for (int i = 0; i < mine.size(); i++) {
            Tier a = mine.get(i);
            Tier b = theirs.get(i);
            if (!a.name().equals(b.name()) || a.threshold().compareTo(b.threshold()) != 0) {
                return false;
            }
            if (everything && (a.multiplier().compareTo(b.multiplier()) != 0
                    || !a.benefitsKey().equals(b.benefitsKey()))) {
                return false;
            }
        }
        return true;
    }

    /** Amounts compare by value (500 equals 500.00). */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof TierPolicy other) || !movesLike(other) || !sameTiers(other, true)
                || !exchangeRates.keySet().equals(other.exchangeRates.keySet())) {
            return false;
        }
        return exchangeRates.entrySet().stream()
                .allMatch(e -> e.getValue().compareTo(other.exchangeRates.get(e.getKey())) == 0);
    }

    @Override
    public int hashCode() {
        return Objects.hash(currency, window, grace, riskNotice, exchangeRates.keySet(),
                ladder.tiers().stream().map(Tier::name).toList());
    }

    @Override
    public String toString() {
        return "TierPolicy[tiers=" + ladder.tiers() + ", window=" + window + ", grace=" + grace + ", riskNotice="
                + riskNotice + ", currency=" + currency + ", exchangeRates=" + new TreeMap<>(exchangeRates) + "]";
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
        TierStatus next = status.withQualifyingSpend(spend);
        if (status.tier() == null) {
            return evaluated(next.entered(reached.name(), now), orders, now,
                    changed(null, reached, TierChanged.Direction.INITIAL, "first qualifying event", spend, now));
        }
        if (!ladder.has(status.tier())) {
            // A programme version renamed or removed the customer's tier: they are judged from the lowest tier, at
            // once (no grace for a tier that no longer exists), and the change names the tier they had.
            TierChanged.Direction direction = ladder.rank(reached) > 0 ? TierChanged.Direction.UP
                    : TierChanged.Direction.DOWN;
            return evaluated(next.movedTo(reached.name(), now), orders, now, new TierChanged(status.tier(),
                    reached.name(), direction, "tier " + status.tier() + " is no longer in the programme",
                    money(spend), now));
        }
        Tier current = ladder.named(status.tier());
        if (ladder.rank(reached) > ladder.rank(current)) {
            return evaluated(next.movedTo(reached.name(), now), orders, now,
                    changed(current, reached, TierChanged.Direction.UP, "qualifying spend reached "
                            + reached.threshold().toPlainString() + " " + currency, spend, now));
        }
        if (ladder.rank(reached) == ladder.rank(current)) {
            return evaluated(next.recovered(), orders, now, null);
        }
        next = next.below(now);
        Instant downgradeAt = next.belowSince().plus(grace);
        if (!now.isBefore(downgradeAt)) {
            return evaluated(next.movedTo(reached.name(), now), orders, now,
                    changed(current, reached, TierChanged.Direction.DOWN, "qualifying spend below "
                            + current.threshold().toPlainString() + " " + currency + " after the grace period",
                            spend, now));
        }
        if (!now.isBefore(downgradeAt.minus(riskNotice)) && !downgradeAt.equals(next.riskNotifiedFor())) {
            TierDowngradeAtRisk risk = new TierDowngradeAtRisk(current.name(), reached.name(), money(spend),
                    money(current.threshold().subtract(spend)), downgradeAt.atOffset(ZoneOffset.UTC).toLocalDate());
            return new Evaluation(withNextEvaluation(next.warnedOf(downgradeAt), orders, now), Optional.empty(),
                    Optional.of(risk));
        }
        return evaluated(next, orders, now, null);
    }

    private Evaluation evaluated(TierStatus status, Collection<QualifyingOrder> orders, Instant now,
                                 TierChanged change) {
        return new Evaluation(withNextEvaluation(status, orders, now), Optional.ofNullable(change), Optional.empty());
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
        return status.withNextEvaluationAt(next);
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

    /**
     * The status after an evaluation and what it announces: a tier change ({@code tier.changed}) or a warning
     * ({@code tier.downgrade-at-risk}), at most one of them.
     */
    public record Evaluation(TierStatus status, Optional<TierChanged> change, Optional<TierDowngradeAtRisk> risk) {

        /** The events to publish, in the contracts' terms. */
        public List<EventData> events() {
            return Stream.<EventData>concat(change.stream(), risk.stream()).toList();
        }
    }
}
