package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.campaigns.domain.CampaignSimulator;
import dev.retention.campaigns.domain.DraftTierUps;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.contracts.events.FieldViolation;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeRules;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Issue 32: the triggers whose business times lie in a period decided again under a draft programme, side by side
 * with the versions that were in force ({@link CampaignSimulator}). One read-only transaction streams the trigger log
 * with a cursor, in the order the triggers were decided; nothing is written, the draft is not kept.
 */
@ApplicationScoped
public class SimulateCampaigns {

    /** Rows per round trip of the cursor. */
    static final int FETCH = 2_000;

    private final Pool pool;
    private final TriggerStore store;
    private final ProgrammePolicies<CampaignProgramme> programmes;
    private final ProgrammeVersions versions;

    public SimulateCampaigns(Pool pool, TriggerStore store, ProgrammePolicies<CampaignProgramme> programmes,
                             ProgrammeVersions versions) {
        this.pool = pool;
        this.store = store;
        this.programmes = programmes;
        this.versions = versions;
    }

    /**
     * What keeps the draft from being simulated: the programme's rules beyond the schema, then what campaign-service
     * cannot apply; each named by its path under {@code draft}.
     */
    public List<FieldViolation> draftProblems(ProgrammeDocument draft) {
        List<FieldViolation> problems = new ArrayList<>(ProgrammeRules.violations(draft, "draft"));
        if (problems.isEmpty()) {
            programmes.problems(draft).forEach(problem -> problems.add(new FieldViolation("draft", problem)));
        }
        return problems;
    }

    /** @param draft a draft without {@link #draftProblems} */
    public Uni<CampaignSimulation> simulate(Instant from, Instant to, ProgrammeDocument draft, int top) {
        return simulate(from, to, draft, top, null);
    }

    /**
     * @param draft      a draft without {@link #draftProblems}
     * @param draftTiers tier-service's draft timelines without {@link DraftTierUps#problems} (null: none): on the
     *                   draft side the listed customers' tier-ups are those their timelines give
     */
    public Uni<CampaignSimulation> simulate(Instant from, Instant to, ProgrammeDocument draft, int top,
                                            List<TierTimeline> draftTiers) {
        CampaignProgramme draftProgramme = programmes.derive(draft);
        Duration longestCapWindow = longestCapWindow(draftProgramme);
        CampaignSimulator simulator = new CampaignSimulator(programmes::at, draftProgramme, from, to,
                longestCapWindow, DraftTierUps.of(draftTiers, ladder(draft), from, to));
        Instant since = CampaignSimulator.historyStart(from, longestCapWindow);
        Instant until = CampaignSimulator.historyEnd(to);
        return pool.withTransaction(tx -> tx.query("SET TRANSACTION READ ONLY").execute()
                        .chain(() -> store.history(tx, since, from, to, until, FETCH)
                                .onItem().invoke(simulator::accept)
                                .onItem().ignoreAsUni()))
                .map(done -> simulator.result(top));
    }

    /** The draft's tier names, lowest first. */
    private static List<String> ladder(ProgrammeDocument draft) {
        return draft.tiers() == null || draft.tiers().levels() == null ? List.of()
                : draft.tiers().levels().stream().map(ProgrammeDocument.Tier::name).toList();
    }

    /** The longest cap window of the baseline, every version and the draft: how far back fired triggers count. */
    private Duration longestCapWindow(CampaignProgramme draft) {
        return Stream.concat(Stream.of(programmes.baseline(), draft),
                        versions.timeline().versions().stream().map(v -> programmes.at(v.effectiveFrom())))
                .map(programme -> programme.guards().capWindow())
                .max(Duration::compareTo).orElse(Duration.ZERO);
    }
}
