package dev.retention.tiers.domain;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/** The tiers from lowest to highest threshold. The lowest must start at zero: every customer has a tier. */
public final class TierLadder {

    private final List<Tier> tiers;

    public TierLadder(List<Tier> tiers) {
        this.tiers = tiers.stream().sorted(Comparator.comparing(Tier::threshold)).toList();
        if (this.tiers.isEmpty() || this.tiers.get(0).threshold().signum() != 0) {
            throw new IllegalArgumentException("the lowest tier must have threshold 0");
        }
    }

    public List<Tier> tiers() {
        return tiers;
    }

    /** The highest tier whose threshold the spend reaches. */
    public Tier tierFor(BigDecimal spend) {
        Tier reached = tiers.get(0);
        for (Tier tier : tiers) {
            if (spend.compareTo(tier.threshold()) >= 0) {
                reached = tier;
            }
        }
        return reached;
    }

    public Tier named(String name) {
        return tiers.stream().filter(t -> t.name().equals(name)).findFirst()
                .orElseGet(() -> tiers.get(0));
    }

    public boolean has(String name) {
        return tiers.stream().anyMatch(t -> t.name().equals(name));
    }

    public int rank(Tier tier) {
        return tiers.indexOf(tier);
    }

    public Optional<Tier> above(Tier tier) {
        int rank = rank(tier);
        return rank + 1 < tiers.size() ? Optional.of(tiers.get(rank + 1)) : Optional.empty();
    }
}
