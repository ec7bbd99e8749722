package dev.retention.campaigns.domain;

import dev.retention.campaigns.ProgrammeDrafts;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CampaignFigures;
import dev.retention.contracts.programme.simulation.CampaignSimulation.TriggerFigures;
import dev.retention.contracts.programme.simulation.TierTimeline;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The simulation's re-decision without a database: a trigger log is produced the way the live path decides (in
 * order, cap and budget counted as it goes, {@link TriggerDecision}), then simulated.
 */
class CampaignSimulatorTest {

    private static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");
    private static final String SALT = "retention-2026";
    private static final Instant START = Instant.parse("2030-01-20T00:00:00Z");
    private static final TriggerType[] TYPES = {TriggerType.DELAY_APOLOGY, TriggerType.BIRTHDAY_OFFER,
            TriggerType.WIN_BACK, TriggerType.REVIEW_REQUEST, TriggerType.REFERRAL_INVITATION, TriggerType.TIER_UP};

    @Property(tries = 300)
    void theVersionInForceDecidedAgainReproducesTheLogAndTheSameDraftChangesNothing(
            @ForAll @IntRange(max = 80) int triggers, @ForAll @IntRange(max = 100) int holdoutPercent,
            @ForAll @IntRange(max = 4) int cap, @ForAll @IntRange(min = 1, max = 10) int capDays,
            @ForAll @IntRange(max = 80) int budget, @ForAll @IntRange(min = 7, max = 60) int toDays,
            @ForAll long seed) {
        CampaignProgramme programme = programme(ProgrammeDrafts.withGuards(ProgrammeJson.initial(),
                BigDecimal.valueOf(holdoutPercent, 2), cap, Duration.ofDays(capDays),
                budget == 0 ? null : BigDecimal.valueOf(budget)));
        List<PastTrigger> log = liveLog(programme, triggers, new Random(seed));
        // Business times run up to two days behind the order of deciding, so rows on both sides of the period's
        // ends were decided among its triggers and counted for them.
        Instant from = START.plus(Duration.ofDays(6));
        Instant to = START.plus(Duration.ofDays(toDays));

        CampaignSimulation simulation = simulate(log, programme, programme, from, to);

        assertThat(normalised(simulation.inForce())).isEqualTo(normalised(figuresOf(log, from, to)));
        assertThat(simulation.draft()).isEqualTo(simulation.inForce());
        assertThat(simulation.customersAffected()).isZero();
        assertThat(simulation.topChanges()).isEmpty();
        assertThat(simulation.triggers()).isEqualTo(log.stream()
                .filter(t -> !t.businessTime().isBefore(from) && t.businessTime().isBefore(to)).count());
    }

    @Property(tries = 200)
    void aDraftWithoutHoldoutHoldsNothingOutAndFiresAtLeastAsManyMarketingTriggersWithoutLimits(
            @ForAll @IntRange(max = 80) int triggers, @ForAll @IntRange(max = 100) int holdoutPercent,
            @ForAll long seed) {
        ProgrammeDocument unlimited = ProgrammeDrafts.withGuards(ProgrammeJson.initial(),
                BigDecimal.valueOf(holdoutPercent, 2), 1000, Duration.ofDays(7), null);
        CampaignProgramme inForce = programme(unlimited);
        CampaignProgramme draft = programme(ProgrammeDrafts.withHoldout(unlimited, BigDecimal.ZERO));
        List<PastTrigger> log = liveLog(inForce, triggers, new Random(seed));

        CampaignSimulation simulation = simulate(log, inForce, draft, START, START.plus(Duration.ofDays(60)));

        simulation.draft().byTrigger().forEach((type, figures) -> {
            TriggerFigures before = simulation.inForce().byTrigger().get(type);
            assertThat(figures.heldOut()).isZero();
            assertThat(figures.fired()).isEqualTo(before.fired() + before.heldOut());
        });
    }

    @Test
    void aDraftWithAnotherApologyValueGivesItsValueForEveryApology() {
        CampaignProgramme inForce = programme(ProgrammeJson.initial());
        CampaignProgramme draft = programme(ProgrammeDrafts.withApologyValue(ProgrammeJson.initial(), "25.00"));
        List<PastTrigger> log = liveLog(inForce, 60, new Random(7));
        long apologies = log.stream().filter(t -> t.type() == TriggerType.DELAY_APOLOGY).count();

        CampaignSimulation simulation = simulate(log, inForce, draft, START, START.plus(Duration.ofDays(60)));

        TriggerFigures figures = simulation.draft().byTrigger().get("delay-apology");
        assertThat(apologies).isPositive();
        assertThat(figures.fired()).isEqualTo(apologies);
        // Every apology is in EUR now: the draft's offer has no USD amount, so USD orders fall back to EUR.
        assertThat(figures.faceValue()).containsExactly(Map.entry("EUR",
                new BigDecimal("25.00").multiply(BigDecimal.valueOf(apologies))));
        assertThat(simulation.customersAffected()).isPositive();
        assertThat(simulation.topChanges().get(0).faceValueDraft())
                .isGreaterThan(simulation.topChanges().get(0).faceValueInForce());
    }

    @Test
    void aDraftThatSwitchesATriggerOffFiresNoneOfIt() {
        CampaignProgramme inForce = programme(ProgrammeJson.initial());
        CampaignProgramme draft = programme(ProgrammeDrafts.withApologyEnabled(ProgrammeJson.initial(), false));
        List<PastTrigger> log = liveLog(inForce, 60, new Random(11));

        CampaignSimulation simulation = simulate(log, inForce, draft, START, START.plus(Duration.ofDays(60)));

        assertThat(simulation.inForce().byTrigger().get("delay-apology").fired()).isPositive();
        assertThat(simulation.draft().byTrigger().get("delay-apology"))
                .isEqualTo(new TriggerFigures(0, 0, 0, 0, 0, 0, 0, Map.of()));
    }

    @Test
    void aTightBudgetInTheDraftStopsVouchersOnceTheMonthSpentBeforeTheCapWouldBeExceeded() {
        CampaignProgramme inForce = programme(ProgrammeDrafts.withHoldout(ProgrammeJson.initial(), BigDecimal.ZERO));
        CampaignProgramme draft = programme(ProgrammeDrafts.withGuards(ProgrammeJson.initial(), BigDecimal.ZERO, 3,
                Duration.ofDays(7), new BigDecimal("30")));
        Instant at = Instant.parse("2030-03-10T10:00:00Z");
        List<PastTrigger> log = new ArrayList<>();
        // Before the period, in the same month: 20.00 EUR spent.
        log.add(apology(inForce, "c1", "o1", at.minus(Duration.ofDays(2))));
        log.add(apology(inForce, "c2", "o2", at.minus(Duration.ofDays(1))));
        // In the period: 10.00 fits (30.00), the next does not.
        log.add(apology(inForce, "c3", "o3", at));
        log.add(apology(inForce, "c4", "o4", at.plusSeconds(1)));

        CampaignSimulation simulation = simulate(log, inForce, draft, at, at.plus(Duration.ofDays(1)));

        assertThat(simulation.inForce().byTrigger().get("delay-apology").fired()).isEqualTo(2);
        TriggerFigures draftFigures = simulation.draft().byTrigger().get("delay-apology");
        assertThat(draftFigures.fired()).isEqualTo(1);
        assertThat(draftFigures.overBudget()).isEqualTo(1);
        assertThat(simulation.topChanges()).extracting(CampaignSimulation.CustomerVouchers::customerId)
                .containsExactly("c4");
    }

    @Test
    void aDraftThatMovesACustomerUpTwiceCountsTheirTwoTierUpsInsteadOfTheLoggedOneAndOthersKeepTheirs() {
        CampaignProgramme programme = programme(ProgrammeJson.initial());
        Instant from = Instant.parse("2030-03-01T00:00:00Z");
        Instant to = Instant.parse("2030-04-01T00:00:00Z");
        List<PastTrigger> log = new ArrayList<>();
        // In force: the mover went bronze -> silver once, another customer bronze -> silver; the mover also had a
        // late parcel after the draft's first move, which the draft's tier-ups are decided around.
        log.add(tierUp(programme, "mover", "bronze", "silver", from.plus(Duration.ofDays(5))));
        log.add(tierUp(programme, "stayer", "bronze", "silver", from.plus(Duration.ofDays(6))));
        log.add(apology(programme, "mover", "o1", from.plus(Duration.ofDays(8))));
        // Before the period: as it was on both sides, not re-decided.
        log.add(0, tierUp(programme, "mover", "silver", "gold", from.minus(Duration.ofDays(40))));
        // Under the draft the mover moves bronze -> silver -> gold at other times.
        TierTimeline mover = new TierTimeline("mover", "bronze", List.of(
                new TierTimeline.TierChange(from.plus(Duration.ofDays(2)), "silver"),
                new TierTimeline.TierChange(from.plus(Duration.ofDays(12)), "gold")));
        DraftTierUps draftTierUps = DraftTierUps.of(List.of(mover), List.of("bronze", "silver", "gold"), from, to);

        CampaignSimulator simulator = new CampaignSimulator(time -> programme, programme, from, to,
                Duration.ofDays(10), draftTierUps);
        log.forEach(simulator::accept);
        CampaignSimulation simulation = simulator.result(20);

        assertThat(simulation.inForce().byTrigger().get("tier-up").fired()).isEqualTo(2);
        // The mover's two under the draft, the stayer's logged one; the mover's logged one is gone.
        assertThat(simulation.draft().byTrigger().get("tier-up").fired()).isEqualTo(3);
        assertThat(simulation.draft().byTrigger().get("delay-apology"))
                .isEqualTo(simulation.inForce().byTrigger().get("delay-apology"));
        assertThat(draftTierUps.of("mover")).extracting(up -> up.request().attributes().get("toTier"))
                .containsExactly("silver", "gold");
        assertThat(simulation.triggers()).isEqualTo(3);
    }

    @Test
    void aDraftThatSwitchesTierUpsOffAsksForNoneOfTheMoversEither() {
        CampaignProgramme inForce = programme(ProgrammeJson.initial());
        CampaignProgramme draft = programme(ProgrammeDrafts.withTierUpEnabled(ProgrammeJson.initial(), false));
        Instant from = Instant.parse("2030-03-01T00:00:00Z");
        Instant to = Instant.parse("2030-04-01T00:00:00Z");
        TierTimeline mover = new TierTimeline("mover", "bronze", List.of(
                new TierTimeline.TierChange(from.plus(Duration.ofDays(2)), "silver")));

        CampaignSimulator simulator = new CampaignSimulator(time -> inForce, draft, from, to, Duration.ofDays(10),
                DraftTierUps.of(List.of(mover), List.of("bronze", "silver", "gold"), from, to));
        simulator.accept(tierUp(inForce, "stayer", "bronze", "silver", from.plus(Duration.ofDays(6))));
        CampaignSimulation simulation = simulator.result(20);

        assertThat(simulation.inForce().byTrigger().get("tier-up").fired()).isEqualTo(1);
        assertThat(simulation.draft().byTrigger().get("tier-up").fired()).isZero();
    }

    private static PastTrigger tierUp(CampaignProgramme programme, String customer, String fromTier, String toTier,
                                      Instant at) {
        String eventId = "e-" + customer + "-" + at;
        TriggerRequest request = TriggerRules.tierUp(customer, eventId, fromTier, toTier).at(at);
        TriggerDecision decision = TriggerDecision.decide(programme, request, true, 0, true, BigDecimal.ZERO,
                () -> "NONE", "t-" + eventId, at);
        return past(request, decision, "t-" + eventId, at);
    }

    private static PastTrigger apology(CampaignProgramme programme, String customer, String order, Instant at) {
        TriggerRequest request = TriggerRequest.of(TriggerType.DELAY_APOLOGY, customer, order, "late", "e-" + order)
                .withOrder(order).withOffer(programme.policy().delayApologyOffer(), "EUR").at(at);
        TriggerDecision decision = TriggerDecision.decide(programme, request, true, 0, true, BigDecimal.ZERO,
                () -> "SORRY-" + order, "t-" + order, at);
        return past(request, decision, "t-" + order, at);
    }

    // ---- the log as the live path writes it ----

    private static CampaignProgramme programme(ProgrammeDocument document) {
        return CampaignProgramme.from(document, BERLIN, SALT);
    }

    private static CampaignSimulation simulate(List<PastTrigger> log, CampaignProgramme inForce,
                                               CampaignProgramme draft, Instant from, Instant to) {
        CampaignSimulator simulator = new CampaignSimulator(time -> inForce, draft, from, to, Duration.ofDays(10));
        log.forEach(simulator::accept);
        return simulator.result(20);
    }

    /**
     * Triggers for a few customers (so that the cap bites), decided in order like the live path: a batch shares one
     * processing time, and business times are up to two days earlier, not in order (late events); the cap counts the
     * customer's marketing triggers decided before with business times in the window ending at the trigger's, the
     * budget the spend of the month holding the business time.
     */
    static List<PastTrigger> liveLog(CampaignProgramme programme, int count, Random random) {
        List<PastTrigger> log = new ArrayList<>();
        Map<String, List<Instant>> fired = new HashMap<>();
        Map<LocalDate, BigDecimal> spent = new HashMap<>();
        Instant now = START;
        for (int i = 0; i < count; i++) {
            if (random.nextInt(3) > 0) {
                now = now.plus(Duration.ofMinutes(random.nextInt(2 * 24 * 60)));
            }
            String customer = "c" + random.nextInt(6);
            TriggerType type = TYPES[random.nextInt(TYPES.length)];
            CampaignPolicy policy = programme.policy();
            TriggerRequest request = TriggerRequest.of(type, customer, "k" + i, "test", "e" + i);
            switch (type) {
                case DELAY_APOLOGY -> request = request.withOrder("o" + i).withOffer(policy.delayApologyOffer(),
                        random.nextBoolean() ? "EUR" : "USD");
                case BIRTHDAY_OFFER -> request = request.withOffer(policy.birthdayOffer(), "EUR");
                case WIN_BACK -> {
                    int step = 1 + random.nextInt(3);
                    request = TriggerRequest.of(type, customer, customer + ":" + now + ":" + step, "test", "e" + i)
                            .withOffer(policy.winBack().steps().get(step - 1).offer(), "EUR");
                }
                default -> { }
            }
            Instant businessTime = now.minus(Duration.ofHours(random.nextInt(48)));
            request = request.at(businessTime);
            boolean consent = random.nextInt(10) > 1;
            Instant since = businessTime.minus(programme.guards().capWindow());
            int inWindow = (int) fired.getOrDefault(customer, List.of()).stream()
                    .filter(t -> t.isAfter(since) && !t.isAfter(businessTime)).count();
            LocalDate month = programme.guards().budgetMonth(businessTime);
            String triggerId = "t" + i;
            TriggerDecision decision = TriggerDecision.decide(programme, request, consent, inWindow, true,
                    spent.getOrDefault(month, BigDecimal.ZERO), () -> "CODE-" + triggerId, triggerId, now);
            if (decision.outcome() == TriggerOutcome.FIRED && type.marketing()) {
                fired.computeIfAbsent(customer, c -> new ArrayList<>()).add(businessTime);
            }
            spent.merge(month, decision.faceValue(), BigDecimal::add);
            log.add(past(request, decision, triggerId, now));
        }
        return log;
    }

    private static PastTrigger past(TriggerRequest r, TriggerDecision decision, String triggerId, Instant now) {
        return new PastTrigger(triggerId, r.type(), r.dedupeKey(), r.customerId(), r.campaignId(), decision.outcome(),
                r.reason(), r.sourceEventId(), r.orderId(), r.offer() == null ? null : r.currency(),
                r.businessTime(), now, decision.voucher());
    }

    /** What the log holds for the period, counted the plain way. */
    private static CampaignFigures figuresOf(List<PastTrigger> log, Instant from, Instant to) {
        Map<String, long[]> counts = new TreeMap<>();
        Map<String, Map<String, BigDecimal>> amounts = new TreeMap<>();
        for (PastTrigger t : log) {
            if (t.businessTime().isBefore(from) || !t.businessTime().isBefore(to)) {
                continue;
            }
            long[] c = counts.computeIfAbsent(t.type().wireName(), k -> new long[7]);
            amounts.computeIfAbsent(t.type().wireName(), k -> new TreeMap<>());
            switch (t.outcome()) {
                case FIRED -> c[0]++;
                case HELD_OUT -> c[1]++;
                case CAPPED -> c[2]++;
                case NO_CONSENT -> c[3]++;
                case OVER_BUDGET, MONTHLY_BUDGET_SPENT -> c[4]++;
            }
            if (t.voucher() != null) {
                c[5]++;
                if (t.voucher().percentOff() != null) {
                    c[6]++;
                }
                if (t.voucher().value() != null) {
                    amounts.get(t.type().wireName()).merge(t.voucher().currency(), t.voucher().value(),
                            BigDecimal::add);
                }
            }
        }
        Map<String, TriggerFigures> figures = new TreeMap<>();
        counts.forEach((type, c) -> figures.put(type,
                new TriggerFigures(c[0], c[1], c[2], c[3], c[4], c[5], c[6], amounts.get(type))));
        return new CampaignFigures(figures);
    }

    private static CampaignFigures normalised(CampaignFigures figures) {
        Map<String, TriggerFigures> out = new TreeMap<>();
        figures.byTrigger().forEach((type, f) -> {
            Map<String, BigDecimal> amounts = new TreeMap<>();
            f.faceValue().forEach((currency, amount) -> amounts.put(currency, amount.stripTrailingZeros()));
            out.put(type, new TriggerFigures(f.fired(), f.heldOut(), f.capped(), f.noConsent(), f.overBudget(),
                    f.vouchers(), f.percentageVouchers(), amounts));
        });
        return new CampaignFigures(out);
    }
}
