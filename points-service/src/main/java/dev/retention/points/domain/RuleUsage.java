package dev.retention.points.domain;

import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;

import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Points each earning rule has given each customer per calendar period, for the per-customer caps. Loaded for the
 * keys a batch needs, changed by {@link EarningRules#apply}, written back with the batch; only what changed is
 * written.
 */
public final class RuleUsage {

    private final Map<Key, Long> used;
    private final Map<Key, Long> changed = new LinkedHashMap<>();

    public RuleUsage(Map<Key, Long> used) {
        this.used = new LinkedHashMap<>(used);
    }

    public static RuleUsage none() {
        return new RuleUsage(Map.of());
    }

    /** The same totals, to be changed apart from these (a simulation's second side). */
    public RuleUsage copy() {
        return new RuleUsage(used);
    }

    public long used(Key key) {
        return used.getOrDefault(key, 0L);
    }

    void add(Key key, long points) {
        long total = used(key) + points;
        used.put(key, total);
        changed.put(key, total);
    }

    /** The totals that changed, to be written back. */
    public Map<Key, Long> changed() {
        return changed;
    }

    /** @param periodStart the first day of the period in the programme's time zone */
    public record Key(String customerId, String ruleId, CapPeriod period, LocalDate periodStart) {
    }
}
