package dev.retention.contracts.programme.simulation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One customer's tiers over a simulated period as the draft would have moved them (tier-service's answer when a
 * {@link SimulationRequest} asks for {@code includeDraftTimelines}; points-service's {@code draftTiers}): the tier
 * held at {@code from} and every change within {@code [from, to)}, at the time tier-service would have published it
 * as {@code tier.changed}'s {@code effectiveAt} (an order's {@code placedAt} + 1 µs, a due evaluation's time).
 *
 * @param tierAtFrom the tier held just before {@code from} (null for none), the same on both sides
 * @param changes    in {@code effectiveAt} order
 */
public record TierTimeline(String customerId, String tierAtFrom, List<TierChange> changes) {

    /** A null element is kept, for the reader to refuse naming it (List.copyOf would throw while reading). */
    public TierTimeline {
        changes = changes == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(changes));
    }

    /** A move to {@code tier}, in force from {@code effectiveAt} on (inclusive). */
    public record TierChange(Instant effectiveAt, String tier) {
    }
}
