package dev.retention.programme.application;

import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.programme.domain.PublicationRules;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.PointsSimulation;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.programme.domain.SimulationReport;
import dev.retention.programme.domain.TierSections;
import dev.retention.programme.persistence.DraftRepository;
import dev.retention.programme.persistence.VersionRepository;
import dev.retention.programme.simulation.ServiceSimulations;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.smallrye.mutiny.tuples.Tuple3;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Simulates a draft over a period of the real history: points-, tier- and campaign-service each re-run their own rules
 * over what they hold, once under the versions that were in force and once under the draft, and this combines their
 * answers. A draft whose tiers differ from a version in force has tier-service answer before points- and
 * campaign-service, which then rate the orders and raise the tier-up triggers of the customers the draft moves by the
 * draft's tiers. Nothing is written anywhere, not even an audit line: a simulation changes nothing.
 */
@ApplicationScoped
public class SimulateDraft {

    /** How many customers each service lists, and the report keeps, among those who change most, by default. */
    public static final int DEFAULT_TOP = 20;
    public static final int MAX_TOP = 100;

    private final DraftRepository drafts;
    private final VersionRepository versions;
    private final ServiceSimulations services;
    private final Clock clock;

    public SimulateDraft(DraftRepository drafts, VersionRepository versions, ServiceSimulations services, Clock clock) {
        this.drafts = drafts;
        this.versions = versions;
        this.services = services;
        this.clock = clock;
    }

    /** @param authorization the caller's Authorization header, passed on to the services */
    public Uni<SimulationReport> simulate(UUID draftId, Instant from, Instant to, Integer top, String authorization) {
        int listed = top == null ? DEFAULT_TOP : top;
        List<FieldViolation> refused = periodViolations(from, to, listed);
        if (!refused.isEmpty()) {
            return Uni.createFrom().failure(new ProgrammeProblems.SimulationRefused(refused));
        }
        Instant now = clock.instant();
        return Panache.withSession(() -> drafts.findById(draftId)
                        .onItem().ifNull().failWith(() -> new ProgrammeProblems.DraftNotFound(draftId))
                        .chain(draft -> versions.allOf(draft.programmeId()).map(rows -> {
                            ProgrammeTimeline timeline = ProgrammeDocuments.timeline(draft.programmeId(), rows);
                            var document = ProgrammeDocuments.tree(draft.document());
                            List<FieldViolation> violations = ProgrammeJson.violations(document,
                                    PublicationRules.currenciesInUse(timeline, now));
                            if (!violations.isEmpty()) {
                                throw new ProgrammeProblems.InvalidProgramme(violations);
                            }
                            return new Asked(draft.programmeId(), timeline,
                                    new ServiceSimulations.Question(from, to, document, listed, authorization),
                                    TierSections.draftMayMoveTiers(timeline, document, from, to));
                        })))
                .chain(asked -> answers(asked).map(answers -> {
                    PointsSimulation points = answers.getItem1();
                    TierSimulation tiers = answers.getItem2();
                    CampaignSimulation campaigns = answers.getItem3();
                    return new SimulationReport(asked.programmeId(), draftId, from, to,
                            SimulationReport.versionsInForce(asked.timeline(), from, to), points, tiers, campaigns,
                            SimulationReport.topChanges(points, tiers, campaigns, listed));
                }));
    }

    /**
     * The three services' answers, tier-service's timelines left out. A draft that may move customers between tiers
     * asks tier-service first for the draft side's timelines of the customers it moves; points-service (which rates
     * their orders by them) and campaign-service (which raises their tier-up triggers by them) are then asked at
     * once with them. Otherwise all three are asked at once.
     */
    private Uni<Tuple3<PointsSimulation, TierSimulation, CampaignSimulation>> answers(Asked asked) {
        ServiceSimulations.Question question = asked.question();
        if (!asked.tiersMayMove()) {
            return Uni.combine().all().unis(services.points(question), services.tiers(question),
                    services.campaigns(question)).asTuple();
        }
        return services.tiers(question.withDraftTimelines())
                .chain(tiers -> {
                    ServiceSimulations.Question withTiers = question.withDraftTiers(tiers.draftTimelines());
                    return Uni.combine().all().unis(services.points(withTiers), services.campaigns(withTiers))
                            .asTuple()
                            .map(after -> Tuple3.of(after.getItem1(), tiers.withoutTimelines(), after.getItem2()));
                });
    }

    private record Asked(String programmeId, ProgrammeTimeline timeline, ServiceSimulations.Question question,
                         boolean tiersMayMove) {
    }

    static List<FieldViolation> periodViolations(Instant from, Instant to, int top) {
        List<FieldViolation> violations = new ArrayList<>();
        if (from == null) {
            violations.add(new FieldViolation("from", "is required"));
        }
        if (to == null) {
            violations.add(new FieldViolation("to", "is required"));
        }
        if (from != null && to != null && !to.isAfter(from)) {
            violations.add(new FieldViolation("to", "must be after from"));
        }
        if (top < 1 || top > MAX_TOP) {
            violations.add(new FieldViolation("top", "must be between 1 and " + MAX_TOP));
        }
        return violations;
    }
}
