package dev.retention.contracts.programme.simulation;

import dev.retention.contracts.events.FieldViolation;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

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

    /** Every timeline names its customer once, and every change its time and tier; each problem names its field, under {@code draftTiers}. */
    public static List<FieldViolation> problems(List<TierTimeline> timelines) {
        List<FieldViolation> problems = new ArrayList<>();
        if (timelines == null) {
            return problems;
        }
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < timelines.size(); i++) {
            TierTimeline timeline = timelines.get(i);
            String field = "draftTiers[" + i + "]";
            if (timeline == null) {
                problems.add(new FieldViolation(field, "must be a timeline"));
                continue;
            }
            if (timeline.customerId() == null || timeline.customerId().isBlank()) {
                problems.add(new FieldViolation(field + ".customerId", "is required"));
            } else if (!seen.add(timeline.customerId())) {
                problems.add(new FieldViolation(field + ".customerId", "is listed twice"));
            }
            for (int j = 0; j < timeline.changes().size(); j++) {
                TierChange change = timeline.changes().get(j);
                if (change == null || change.effectiveAt() == null) {
                    problems.add(new FieldViolation(field + ".changes[" + j + "].effectiveAt", "is required"));
                }
                if (change == null || change.tier() == null || change.tier().isBlank()) {
                    problems.add(new FieldViolation(field + ".changes[" + j + "].tier", "is required"));
                }
            }
        }
        return problems;
    }

    /** A move to {@code tier}, in force from {@code effectiveAt} on (inclusive). */
    public record TierChange(Instant effectiveAt, String tier) {
    }
}
