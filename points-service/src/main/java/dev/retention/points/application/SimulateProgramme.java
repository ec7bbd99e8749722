package dev.retention.points.application;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.SimulationRequest;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.points.domain.DraftTiers;
import dev.retention.points.domain.EarningRules;
import dev.retention.points.domain.EarningSimulation;
import dev.retention.points.domain.EarningSimulation.Valuation;
import dev.retention.points.domain.PointsPolicy;
import dev.retention.points.persistence.SimulationHistory;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A programme simulation's points section (issue 32): the orders placed in the period earn again under the versions
 * that were in force and under the draft, the period's bonuses are priced again, and nothing is written. The history
 * is read in one read-only transaction ({@link SimulationHistory}); the rules are the live path's
 * ({@link EarningSimulation}).
 */
@ApplicationScoped
public class SimulateProgramme {

    public static final int DEFAULT_TOP = 20;
    public static final int MAX_TOP = 100;

    /**
     * application.properties sets no point values: before version 1 the initial programme's (which version 1 is
     * published from, so that nothing changes) value the points.
     */
    private static final Valuation BASELINE_VALUATION = valuation(ProgrammeJson.initial());

    private final ProgrammePolicies<PointsPolicy> policies;
    private final ProgrammeVersions versions;
    private final SimulationHistory history;
    private final Pool pool;

    public SimulateProgramme(ProgrammePolicies<PointsPolicy> policies, ProgrammeVersions versions, Pool pool) {
        this.policies = policies;
        this.versions = versions;
        this.history = new SimulationHistory();
        this.pool = pool;
    }

    /**
     * Why points-service cannot apply a draft that keeps the programme's rules (the same check that dead-letters a
     * published version it cannot apply); empty when it can.
     */
    public static List<FieldViolation> draftProblems(ProgrammeDocument draft) {
        try {
            PointsPolicy.from(draft);
            return List.of();
        } catch (IllegalArgumentException e) {
            return List.of(new FieldViolation("draft", "points-service cannot apply it: " + e.getMessage()));
        }
    }

    /** @param request a period and a draft the endpoint checked (see {@link #draftProblems}) */
    public Uni<PointsSimulation> simulate(SimulationRequest request) {
        PointsPolicy draft = PointsPolicy.from(request.draft());
        int top = request.top() == 0 ? DEFAULT_TOP : Math.min(request.top(), MAX_TOP);
        Map<Integer, Valuation> byVersion = new ConcurrentHashMap<>();
        EarningSimulation simulation = new EarningSimulation(request.from(), request.to(), policies::at,
                time -> versions.inForceAt(time)
                        .map(version -> byVersion.computeIfAbsent(version.version(), v -> valuation(version.document())))
                        .orElse(BASELINE_VALUATION),
                draft, valuation(request.draft()), top, DraftTiers.of(request.draftTiers()));
        Instant firstOrder = EarningSimulation.warmUpFrom(request.from(), capsInPlay(draft, request.to()));
        // One read-only transaction: the orders and bonuses as of one snapshot.
        return pool.withTransaction(tx -> history.read(tx, firstOrder, request.from(), request.to(),
                        simulation::accept, simulation::accept))
                .map(done -> simulation.result());
    }

    /** The earning rules whose cap periods may hold {@code from}: the draft's and every version's before {@code to}. */
    private List<EarningRules> capsInPlay(PointsPolicy draft, Instant to) {
        List<EarningRules> rules = new ArrayList<>();
        rules.add(draft.earningRules());
        rules.add(policies.baseline().earningRules());
        for (ProgrammeVersion version : versions.timeline().versions()) {
            if (version.effectiveFrom().isBefore(to)) {
                rules.add(policies.at(version.effectiveFrom()).earningRules());
            }
        }
        return rules;
    }

    private static Valuation valuation(ProgrammeDocument document) {
        Map<String, BigDecimal> values = new HashMap<>();
        if (document.currencies() != null) {
            document.currencies().forEach((currency, settings) -> {
                if (settings != null && settings.pointValue() != null) {
                    values.put(currency, settings.pointValue());
                }
            });
        }
        return new Valuation(document.reportingCurrency(), Map.copyOf(values));
    }
}
