package dev.retention.points.domain;

import dev.retention.contracts.programme.simulation.TierTimeline;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The tiers a draft would have given the customers it moves (tier-service's draft timelines), for a simulation's draft
 * side: an order is rated by the tier in force at its {@code placedAt}, the last change whose {@code effectiveAt} is
 * not after it, by the same lookup the live path makes in the customer's tier history ({@code customer_tier}) when it
 * places or re-rates an order. Customers not listed keep the tiers their orders carry.
 */
public final class DraftTiers {

    private static final DraftTiers NONE = new DraftTiers(Map.of());

    /** Per customer: the tier from each change on, the tier at {@code from} keyed by {@link Instant#MIN}. */
    private final Map<String, NavigableMap<Instant, String>> byCustomer;

    private DraftTiers(Map<String, NavigableMap<Instant, String>> byCustomer) {
        this.byCustomer = byCustomer;
    }

    public static DraftTiers none() {
        return NONE;
    }

    /** @param timelines null for none; a later change at the same time as an earlier one wins, as in the history */
    public static DraftTiers of(List<TierTimeline> timelines) {
        if (timelines == null || timelines.isEmpty()) {
            return NONE;
        }
        Map<String, NavigableMap<Instant, String>> byCustomer = new HashMap<>();
        for (TierTimeline timeline : timelines) {
            NavigableMap<Instant, String> history = new TreeMap<>();
            history.put(Instant.MIN, timeline.tierAtFrom());
            for (TierTimeline.TierChange change : timeline.changes()) {
                history.put(change.effectiveAt(), change.tier());
            }
            byCustomer.put(timeline.customerId(), history);
        }
        return new DraftTiers(byCustomer);
    }

    public boolean lists(String customerId) {
        return byCustomer.containsKey(customerId);
    }

    /** The tier in force at {@code placedAt} for a listed customer (null for none). */
    public String tierAt(String customerId, Instant placedAt) {
        NavigableMap<Instant, String> history = byCustomer.get(customerId);
        if (history == null) {
            throw new IllegalArgumentException("customer " + customerId + " has no draft timeline");
        }
        return history.floorEntry(placedAt).getValue();
    }
}
