package dev.retention.tiers.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * The tier policy of every business time: a baseline, then each programme version's policy from its
 * {@code effectiveFrom}. Every evaluation applies the policy in force at its own time (an order's {@code placedAt}, a
 * due evaluation's due time), so a replay, or a simulation, judges the same facts the same way.
 */
public final class TierRules {

    /** A policy taking effect at {@code effectiveFrom}. */
    public record Change(Instant effectiveFrom, TierPolicy policy) {
    }

    private final TierPolicy baseline;
    private final List<Change> changes;

    public TierRules(TierPolicy baseline, List<Change> changes) {
        this.baseline = baseline;
        this.changes = changes.stream().sorted(Comparator.comparing(Change::effectiveFrom)).toList();
    }

    /** One policy for all times. */
    public static TierRules always(TierPolicy policy) {
        return new TierRules(policy, List.of());
    }

    /** The policy in force at {@code time}: the last change not after it, else the baseline. */
    public TierPolicy at(Instant time) {
        TierPolicy found = baseline;
        for (Change change : changes) {
            if (change.effectiveFrom().isAfter(time)) {
                break;
            }
            found = change.policy();
        }
        return found;
    }

    /**
     * The first moment after {@code after} from which a policy that moves customers differently
     * ({@link TierPolicy#movesLike}) applies: every customer with a tier is evaluated then, as the live job does when
     * it marks everybody due for a new version.
     */
    public Optional<Instant> nextMovingChangeAfter(Instant after) {
        TierPolicy previous = at(after);
        for (Change change : changes) {
            if (!change.effectiveFrom().isAfter(after)) {
                continue;
            }
            if (!change.policy().movesLike(previous)) {
                return Optional.of(change.effectiveFrom());
            }
            previous = change.policy();
        }
        return Optional.empty();
    }

    /** These rules before {@code from}, then {@code draft} alone: a draft as if published to take effect then. */
    public TierRules replacedFrom(Instant from, TierPolicy draft) {
        List<Change> kept = new ArrayList<>();
        for (Change change : changes) {
            if (change.effectiveFrom().isBefore(from)) {
                kept.add(change);
            }
        }
        kept.add(new Change(from, draft));
        return new TierRules(baseline, kept);
    }

    /** How far back any of these policies counts orders. */
    public Duration longestWindow() {
        Duration longest = baseline.window();
        for (Change change : changes) {
            if (change.policy().window().compareTo(longest) > 0) {
                longest = change.policy().window();
            }
        }
        return longest;
    }
}
