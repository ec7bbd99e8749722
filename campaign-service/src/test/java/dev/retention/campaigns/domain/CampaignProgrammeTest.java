package dev.retention.campaigns.domain;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeDocument.Guards;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Triggers;
import dev.retention.contracts.programme.ProgrammeJson;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CampaignProgrammeTest {

    static final ProgrammeDocument INITIAL = ProgrammeJson.initial();
    static final ZoneId BERLIN = ZoneId.of("Europe/Berlin");

    @Test
    void theInitialProgrammeGivesEveryTriggersSettings() {
        CampaignPolicy policy = CampaignPolicy.from(INITIAL, BERLIN);

        // Every trigger but the feedback mail: the built-in programme keeps the review request after delivery
        // (triggers.feedback.request = review); the two never go out together.
        assertThat(policy.enabled()).containsAll(java.util.Arrays.stream(TriggerType.values())
                .filter(type -> type != TriggerType.FEEDBACK_REQUEST).toList());
        assertThat(policy.enabled()).doesNotContain(TriggerType.FEEDBACK_REQUEST);
        assertThat(policy.serviceRecoveryOffer().valueByCurrency().get("EUR")).isEqualByComparingTo("5");
        assertThat(policy.feedbackLinkValidFor()).isEqualTo(Duration.ofDays(30));
        assertThat(policy.delayGrace()).isEqualTo(Duration.ofDays(1));
        assertThat(policy.delayApologyOffer().valueByCurrency().get("USD")).isEqualByComparingTo("10");
        assertThat(policy.delayApologyOffer().freeShipping()).isTrue();
        assertThat(policy.birthdaySchedule()).isEqualTo(new BirthdaySchedule(7, LocalTime.of(9, 0)));
        assertThat(policy.birthdayOffer().percentOff()).isEqualByComparingTo("15");
        assertThat(policy.winBack().steps()).extracting(WinBackLadder.Step::after)
                .containsExactly(Duration.ofDays(60), Duration.ofDays(90), Duration.ofDays(120));
        assertThat(policy.reviewRequestAfter()).isEqualTo(Duration.ofDays(7));
        assertThat(policy.toBase(new BigDecimal("100"), "GBP")).isEqualByComparingTo("117");
        assertThat(policy.defaultZone()).isEqualTo(BERLIN);
    }

    @Test
    void aSwitchedOffTriggerAndAnEmptyLadderAreOff() {
        Triggers t = INITIAL.triggers();
        ProgrammeDocument quiet = withTriggers(INITIAL, new Triggers(
                new ProgrammeDocument.DelayApology(false, t.delayApology().grace(), t.delayApology().voucher()),
                t.birthday(), new ProgrammeDocument.WinBack(true, List.of()), t.reviewRequest(),
                new ProgrammeDocument.Switch(false), t.referralInvitation(), t.tierUp(), t.downgradeWarning(),
                t.pointsExpiring()));

        CampaignPolicy policy = CampaignPolicy.from(quiet, BERLIN);

        assertThat(policy.on(TriggerType.DELAY_APOLOGY)).isFalse();
        assertThat(policy.on(TriggerType.WIN_BACK)).isFalse();
        assertThat(policy.on(TriggerType.REVIEW_THANKS)).isFalse();
        assertThat(policy.on(TriggerType.TIER_UP)).isTrue();
    }

    @Test
    void whatCampaignServiceCannotApplyIsRefusedWithThePartNamed() {
        assertThatThrownBy(() -> CampaignPolicy.from(withDelayVoucher(INITIAL,
                new Offer(Map.of("EUR", new BigDecimal("5")), new BigDecimal("10"), null, false, null,
                        Duration.ofDays(30))), BERLIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("triggers.delayApology.voucher");
        assertThatThrownBy(() -> CampaignPolicy.from(withDelayVoucher(INITIAL,
                new Offer(Map.of("USD", new BigDecimal("5")), null, null, false, null, Duration.ofDays(30))), BERLIN))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("triggers.delayApology.voucher.value").hasMessageContaining("EUR");
        Triggers t = INITIAL.triggers();
        assertThatThrownBy(() -> CampaignPolicy.from(withTriggers(INITIAL, new Triggers(t.delayApology(),
                new ProgrammeDocument.Birthday(true, 90, LocalTime.NOON, t.birthday().voucher()), t.winBack(),
                t.reviewRequest(), t.reviewThanks(), t.referralInvitation(), t.tierUp(), t.downgradeWarning(),
                t.pointsExpiring())), BERLIN))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("triggers.birthday");
        assertThatThrownBy(() -> TriggerGuards.from(withGuards(INITIAL,
                new Guards(new BigDecimal("1.5"), 3, Duration.ofDays(7), null)), "salt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("guards");
        assertThatThrownBy(() -> TriggerGuards.from(withGuards(INITIAL,
                new Guards(BigDecimal.ZERO, 3, Duration.ofDays(7), new BigDecimal("-1"))), "salt"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("monthlyVoucherBudget");
    }

    @Test
    void theGuardsComeFromTheDocumentAndTheSaltFromConfiguration() {
        TriggerGuards guards = TriggerGuards.from(withGuards(INITIAL,
                new Guards(new BigDecimal("0.05"), 3, Duration.ofDays(7), new BigDecimal("1000"))), "salt");

        assertThat(guards.monthlyVoucherBudget()).isEqualByComparingTo("1000");
        assertThat(guards).isEqualTo(new TriggerGuards(new BigDecimal("0.050"), "salt", 3, Duration.ofDays(7),
                new BigDecimal("1000.00"), BERLIN));
        assertThat(guards).isNotEqualTo(new TriggerGuards(new BigDecimal("0.05"), "other", 3, Duration.ofDays(7),
                new BigDecimal("1000"), BERLIN));
        assertThat(TriggerGuards.from(INITIAL, "salt").monthlyVoucherBudget()).isNull();
    }

    @Test
    void theBudgetCountsCalendarMonthsOfTheProgrammesTimeZone() {
        TriggerGuards guards = TriggerGuards.from(INITIAL, "salt");

        // 23:30 UTC on 31 March is already 1 April in Berlin.
        assertThat(guards.budgetMonth(Instant.parse("2026-03-31T23:30:00Z"))).isEqualTo(LocalDate.of(2026, 4, 1));
        assertThat(guards.budgetMonth(Instant.parse("2026-03-31T20:00:00Z"))).isEqualTo(LocalDate.of(2026, 3, 1));
    }

    @Test
    void aVoucherThatWouldExceedTheMonthlyBudgetDoesNotFitAndOneThatReachesItExactlyDoes() {
        TriggerGuards guards = new TriggerGuards(BigDecimal.ZERO, "s", 3, Duration.ofDays(7), new BigDecimal("100"),
                BERLIN);

        assertThat(guards.withinBudget(new BigDecimal("90"), new BigDecimal("10.00"))).isTrue();
        assertThat(guards.withinBudget(new BigDecimal("90"), new BigDecimal("10.01"))).isFalse();
        assertThat(new TriggerGuards(BigDecimal.ZERO, "s", 3, Duration.ofDays(7))
                .withinBudget(new BigDecimal("1E9"), BigDecimal.TEN)).isTrue();
    }

    @Test
    void faceValueIsTheFixedValueOrThePercentageOfTheMinimumOrderInTheReportingCurrency() {
        CampaignPolicy policy = CampaignPolicy.from(INITIAL, BERLIN);
        Instant now = Instant.parse("2026-03-10T12:00:00Z");

        IssuedVoucher tenUsd = new VoucherOffer(Map.of("EUR", BigDecimal.TEN, "USD", BigDecimal.TEN), null, null,
                true, Map.of(), Duration.ofDays(30)).issue("C1", "c", "t", null, "USD", "EUR", now);
        IssuedVoucher fifteenPercentOfTwenty = policy.birthdayOffer().issue("C2", "c", "t", null, "EUR", "EUR", now);
        IssuedVoucher percentWithoutMinimum = new VoucherOffer(Map.of(), BigDecimal.TEN, null, false, Map.of(),
                Duration.ofDays(30)).issue("C3", "c", "t", null, "EUR", "EUR", now);
        IssuedVoucher gift = new VoucherOffer(Map.of(), null, "GIFT-1", true, Map.of(), Duration.ofDays(30))
                .issue("C4", "c", "t", null, "EUR", "EUR", now);

        assertThat(policy.faceValue(tenUsd)).isEqualByComparingTo("9.2");
        assertThat(policy.faceValue(fifteenPercentOfTwenty)).isEqualByComparingTo("3.00");
        assertThat(policy.faceValue(percentWithoutMinimum)).isEqualByComparingTo("0");
        assertThat(policy.faceValue(gift)).isEqualByComparingTo("0");
    }

    @Test
    void anEventIsJudgedByTheVersionInForceAtItsOwnTimeAndAJobByTheDueTime() {
        Instant change = Instant.parse("2026-03-10T00:00:00Z");
        CampaignPolicy before = CampaignPolicy.from(INITIAL, BERLIN);
        CampaignPolicy after = CampaignPolicy.from(withDelayVoucher(INITIAL, new Offer(
                Map.of("EUR", new BigDecimal("25.00")), null, null, true, null, Duration.ofDays(30))), BERLIN);
        CampaignRules rules = new CampaignRules(time -> time.isBefore(change) ? before : after,
                new VoucherCodeGenerator());
        Instant processedAt = change.plus(Duration.ofDays(3));
        Map<String, CustomerState> customers = new java.util.HashMap<>();
        for (String id : List.of("c-1", "c-2", "c-3")) {
            customers.put(id, new CustomerState(id));
        }
        CampaignState state = new CampaignState(customers, new java.util.HashMap<>(), new java.util.HashMap<>());

        TriggerRequest late = delayed(rules, state, "c-1", change.minusSeconds(60), processedAt);
        TriggerRequest inTime = delayed(rules, state, "c-2", change.plusSeconds(60), processedAt);

        assertThat(late.offer().valueByCurrency().get("EUR")).isEqualByComparingTo("10.00");
        assertThat(late.businessTime()).isEqualTo(change.minusSeconds(60));
        assertThat(inTime.offer().valueByCurrency().get("EUR")).isEqualByComparingTo("25.00");

        // A shipment overdue before the change, found by a job that runs after it: the due time's version.
        String customer = "c-3";
        String orderId = "o-3";
        rules.apply(EventEnvelope.of("e-3", "/t", change.minus(Duration.ofDays(9)), customer,
                new OrderPlaced(orderId, change.minus(Duration.ofDays(9)), "web", "EUR", List.of(), BigDecimal.TEN,
                        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.TEN, 0, BigDecimal.ZERO)), state,
                processedAt);
        rules.apply(EventEnvelope.of("e-4", "/t", change.minus(Duration.ofDays(8)), customer,
                new ShipmentDispatched("s-3", orderId, "DHL", "T", change.minus(Duration.ofDays(8)),
                        LocalDate.of(2026, 3, 5))), state, processedAt);
        ShipmentTimer timer = state.timer("s-3", orderId, customer);
        assertThat(timer.dueAt()).isBefore(change);

        TriggerRequest overdue = rules.shipmentOverdue(timer, state.order(orderId, customer),
                state.customer(customer), processedAt).orElseThrow();

        assertThat(overdue.offer().valueByCurrency().get("EUR")).isEqualByComparingTo("10.00");
        assertThat(overdue.businessTime()).isBefore(change);
    }

    private static TriggerRequest delayed(CampaignRules rules, CampaignState state, String customer, Instant at,
                                          Instant processedAt) {
        String orderId = "o-" + customer;
        rules.apply(EventEnvelope.of("p-" + customer, "/t", at.minus(Duration.ofDays(2)), customer,
                new OrderPlaced(orderId, at.minus(Duration.ofDays(2)), "web", "EUR", List.of(), BigDecimal.TEN,
                        BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.ZERO, BigDecimal.TEN, 0, BigDecimal.ZERO)), state,
                processedAt);
        List<TriggerRequest> requests = rules.apply(EventEnvelope.of("d-" + customer, "/t", at, customer,
                new ShipmentDelayed("s-" + customer, orderId, LocalDate.of(2026, 3, 20), "storm")), state,
                processedAt);
        return requests.stream().filter(r -> r.type() == TriggerType.DELAY_APOLOGY).findFirst().orElseThrow();
    }

    static ProgrammeDocument withTriggers(ProgrammeDocument d, Triggers triggers) {
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), triggers, d.guards());
    }

    static ProgrammeDocument withDelayVoucher(ProgrammeDocument d, Offer voucher) {
        Triggers t = d.triggers();
        return withTriggers(d, new Triggers(new ProgrammeDocument.DelayApology(true, t.delayApology().grace(),
                voucher), t.birthday(), t.winBack(), t.reviewRequest(), t.reviewThanks(), t.referralInvitation(),
                t.tierUp(), t.downgradeWarning(), t.pointsExpiring()));
    }

    static ProgrammeDocument withGuards(ProgrammeDocument d, Guards guards) {
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(), d.tiers(), d.earning(),
                d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), guards);
    }
}
