package dev.retention.contracts.programme.simulation;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import dev.retention.contracts.programme.ProgrammeDocument;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * What programme-service asks each service to simulate: its own domain rules re-run over the history it holds whose
 * business time lies in {@code [from, to)}, once under the versions that were in force and once under {@code draft}
 * as if it had been in force over the whole period. Nothing is written.
 *
 * @param top                   how many customers each section lists among those who change most
 * @param includeDraftTimelines asks tier-service to answer {@link TierSimulation#draftTimelines()} (others ignore it)
 * @param draftTiers            for points-service: the customers whose tiers the draft moves (tier-service's
 *                              {@code draftTimelines}); on the draft side their orders earn by the tier in force at
 *                              their {@code placedAt} on that timeline. Null or absent: every order keeps its stored
 *                              tier (others ignore it)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SimulationRequest(Instant from, Instant to, ProgrammeDocument draft, int top,
                                boolean includeDraftTimelines, List<TierTimeline> draftTiers) {

    public SimulationRequest {
        draftTiers = draftTiers == null ? null : Collections.unmodifiableList(new ArrayList<>(draftTiers));
    }

    /** A request without tier timelines either way. */
    public SimulationRequest(Instant from, Instant to, ProgrammeDocument draft, int top) {
        this(from, to, draft, top, false, null);
    }

    /** Absent numbers and flags read as 0 and false (the contracts' decoder refuses null for primitives). */
    @JsonCreator
    public static SimulationRequest fromJson(@JsonProperty("from") Instant from, @JsonProperty("to") Instant to,
                                             @JsonProperty("draft") ProgrammeDocument draft,
                                             @JsonProperty("top") Integer top,
                                             @JsonProperty("includeDraftTimelines") Boolean includeDraftTimelines,
                                             @JsonProperty("draftTiers") List<TierTimeline> draftTiers) {
        return new SimulationRequest(from, to, draft, top == null ? 0 : top,
                Boolean.TRUE.equals(includeDraftTimelines), draftTiers);
    }
}
