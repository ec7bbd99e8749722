package dev.retention.programme.domain;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Whether a simulated draft may move customers between tiers: then points-service must rate the draft side's orders by
 * the draft's tiers, which tier-service answers first (docs/programme.md, "Simulation"). Decided on the programme's
 * {@code tiers} section alone (ladder, window, grace, risk notice), as JSON: the order values tier-service counts are
 * taken as stored, so nothing else of a draft moves a tier.
 */
public final class TierSections {

    private TierSections() {
    }

    /**
     * True when the draft's {@code tiers} differ from those of any version in force at some time of {@code [from,
     * to)}, or when no version was in force at {@code from} (the services' configured baseline then, which
     * programme-service does not hold: asking tier-service first costs time, never exactness). Both sides are compared
     * as the contracts write a read document, so a mere difference of spelling in the draft does not count.
     */
    public static boolean draftMayMoveTiers(ProgrammeTimeline timeline, JsonNode draft, Instant from, Instant to) {
        JsonNode draftTiers = ProgrammeJson.tree(ProgrammeJson.read(draft)).path("tiers");
        List<ProgrammeVersion> versions = timeline.versions();
        if (versions.isEmpty() || versions.get(0).effectiveFrom().isAfter(from)) {
            return true;
        }
        for (int i = 0; i < versions.size(); i++) {
            ProgrammeVersion version = versions.get(i);
            Instant until = i + 1 < versions.size() ? versions.get(i + 1).effectiveFrom() : null;
            boolean inForceDuringPeriod = version.effectiveFrom().isBefore(to) && (until == null || until.isAfter(from));
            if (inForceDuringPeriod
                    && !Objects.equals(draftTiers, ProgrammeJson.tree(version.document()).path("tiers"))) {
                return true;
            }
        }
        return false;
    }
}
