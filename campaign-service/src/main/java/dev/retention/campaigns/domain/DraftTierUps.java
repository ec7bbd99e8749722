package dev.retention.campaigns.domain;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.simulation.TierTimeline;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tier-up triggers a draft asks for, for the customers it moves between tiers otherwise than the versions in
 * force did (tier-service's draft timelines, {@code SimulationRequest.draftTiers}): one per change of a customer's
 * timeline that moves up the draft's ladder, at the change's {@code effectiveAt} (the business time the live path
 * decides a {@code tier.changed}'s trigger by), asked for as {@link TriggerRules#tierUp} asks for it.
 *
 * <p>Up is judged as tier-service judges the direction it publishes: by rank in the draft's {@code tiers.levels};
 * a change from no tier (the first qualifying event) is INITIAL, not up; a change from a tier the draft's ladder does
 * not hold is up when it reaches above the lowest tier. The first change compares with {@code tierAtFrom}, each later
 * one with the change before it. Changes outside {@code [from, to)} raise nothing: the simulation decides again only
 * the triggers of the period.
 */
public final class DraftTierUps {

    private static final DraftTierUps NONE = new DraftTierUps(Map.of());

    /** A tier-up asked for at {@code effectiveAt}. */
    public record TierUp(Instant effectiveAt, TriggerRequest request) {
    }

    private final Map<String, List<TierUp>> byCustomer;

    private DraftTierUps(Map<String, List<TierUp>> byCustomer) {
        this.byCustomer = byCustomer;
    }

    /** No customer listed: every customer keeps the tier-ups the log holds. */
    public static DraftTierUps none() {
        return NONE;
    }

    /**
     * @param timelines the draft's timelines, without {@link #problems} (null: none)
     * @param ladder    the draft's tier names, lowest first
     */
    public static DraftTierUps of(List<TierTimeline> timelines, List<String> ladder, Instant from, Instant to) {
        if (timelines == null || timelines.isEmpty()) {
            return NONE;
        }
        Map<String, List<TierUp>> byCustomer = new TreeMap<>();
        for (TierTimeline timeline : timelines) {
            List<TierUp> ups = new ArrayList<>();
            String held = timeline.tierAtFrom();
            for (TierTimeline.TierChange change : timeline.changes()) {
                if (movesUp(ladder, held, change.tier()) && !change.effectiveAt().isBefore(from)
                        && change.effectiveAt().isBefore(to)) {
                    // No event id exists for a change the draft makes: one per customer and time stands for it.
                    String eventId = "draft:" + timeline.customerId() + ":" + change.effectiveAt();
                    ups.add(new TierUp(change.effectiveAt(), TriggerRules.tierUp(timeline.customerId(), eventId,
                            held, change.tier()).at(change.effectiveAt())));
                }
                held = change.tier();
            }
            ups.sort(Comparator.comparing(TierUp::effectiveAt));
            byCustomer.put(timeline.customerId(), List.copyOf(ups));
        }
        return new DraftTierUps(byCustomer);
    }

    /** Whether the draft gives this customer their own tier-ups (and so none of those the log holds). */
    public boolean lists(String customerId) {
        return byCustomer.containsKey(customerId);
    }

    /** The customer's tier-ups in {@code effectiveAt} order; none for a customer not listed. */
    public List<TierUp> of(String customerId) {
        return byCustomer.getOrDefault(customerId, List.of());
    }

    /** The listed customers. */
    public Set<String> customers() {
        return byCustomer.keySet();
    }

    /** The direction tier-service publishes, by the draft's ladder: UP, or not. */
    static boolean movesUp(List<String> ladder, String held, String reached) {
        if (held == null) {
            return false; // INITIAL
        }
        int to = ladder.indexOf(reached);
        int from = ladder.indexOf(held);
        return from < 0 ? to > 0 : to > from;
    }

    /** Every timeline names its customer once, and every change its time and tier ({@link TierTimeline#problems}). */
    public static List<FieldViolation> problems(List<TierTimeline> timelines) {
        return TierTimeline.problems(timelines);
    }
}
