package dev.retention.campaigns.domain;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerType;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CampaignRulesTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final VoucherOffer TEN_EUR = new VoucherOffer(Map.of("EUR", new BigDecimal("10.00")), null, null, true,
            Map.of(), Duration.ofDays(30));

    static CampaignPolicy policy(TriggerType... off) {
        WinBackLadder ladder = new WinBackLadder(List.of(
                new WinBackLadder.Step(Duration.ofDays(60), TEN_EUR),
                new WinBackLadder.Step(Duration.ofDays(90), TEN_EUR)));
        CampaignPolicy.Builder policy = CampaignPolicy.builder()
                .currency("EUR", Map.of("EUR", BigDecimal.ONE, "USD", new BigDecimal("0.90")))
                .defaultZone(ZoneId.of("Europe/Berlin"))
                .delayApology(Duration.ofDays(1), TEN_EUR)
                .birthday(new BirthdaySchedule(7, LocalTime.of(9, 0)), TEN_EUR)
                .winBack(ladder)
                .reviewRequestAfter(Duration.ofDays(7));
        for (TriggerType type : TriggerType.values()) {
            // The feedback mail replaces the review request when on: these rules keep the review request.
            policy.enable(type, !List.of(off).contains(type) && type != TriggerType.FEEDBACK_REQUEST);
        }
        return policy.build();
    }

    private final CampaignRules rules = new CampaignRules(policy(), new VoucherCodeGenerator());
    private final String customer = "c-" + UUID.randomUUID();
    private final CampaignState state = new CampaignState(new HashMap<>(Map.of(customer, new CustomerState(customer))),
            Map.of(), Map.of());

    private List<TriggerRequest> apply(EventData data) {
        return rules.apply(TestEvents.envelope(customer, data), state, NOW);
    }

    private List<TriggerRequest> apply(EventEnvelope<?> event) {
        return rules.apply(event, state, NOW);
    }

    @Test
    void aDelayApologiesOncePerOrderAndMarksTheFirstTimeCustomer() {
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).placedAt(NOW).build();
        apply(order);
        String orderId = order.data().orderId();
        apply(new ShipmentDispatched("s-1", orderId, "DHL", "T1", NOW, LocalDate.of(2026, 3, 12)));

        List<TriggerRequest> first = apply(new ShipmentDelayed("s-1", orderId, LocalDate.of(2026, 3, 15), "storm"));
        List<TriggerRequest> second = apply(new ShipmentDelayed("s-1", orderId, LocalDate.of(2026, 3, 18), "storm"));

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.DELAY_APOLOGY);
            assertThat(r.dedupeKey()).isEqualTo(orderId);
            assertThat(r.offer()).isEqualTo(TEN_EUR);
            assertThat(r.attributes()).containsEntry("firstTimeCustomer", "true")
                    .containsEntry("newEstimatedDeliveryDate", "2026-03-15");
        });
        assertThat(second).isEmpty();
    }

    @Test
    void anErasedCustomerKeepsNoBirthDateOrZoneAndGetsNoMoreMarketing() {
        apply(new CustomerRegistered(NOW, "a@example.com", "A", "B", "de-DE", "Europe/Berlin",
                LocalDate.of(1990, 3, 20), new ChannelConsents(true, false, false, false), null));
        apply(TestEvents.orderPlaced(customer).placedAt(NOW).build());
        CustomerState c = state.customer(customer);
        assertThat(c.birthdayOfferAt()).isNotNull();
        assertThat(c.winBackDueAt()).isNotNull();

        apply(new dev.retention.contracts.events.CustomerErased(NOW));

        assertThat(c.birthDate()).isNull();
        assertThat(c.timeZone()).isNull();
        assertThat(c.marketingConsent()).isFalse();
        assertThat(c.birthdayOfferAt()).isNull();
        assertThat(c.winBackDueAt()).isNull();
        assertThat(rules.birthdayDue(c, NOW.plus(Duration.ofDays(400)))).isEmpty();
    }

    @Test
    void aSecondOrderIsNotAFirstTimeCustomersOrder() {
        apply(TestEvents.orderPlaced(customer).placedAt(NOW.minus(Duration.ofDays(40))).build());
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).placedAt(NOW).build();
        apply(order);

        List<TriggerRequest> apology = apply(new ShipmentDelayed("s-2", order.data().orderId(), null, "backlog"));

        assertThat(apology).singleElement().satisfies(r ->
                assertThat(r.attributes()).containsEntry("firstTimeCustomer", "false"));
    }

    @Test
    void theOverdueTimerIsDueAfterThePromisedDayEndsInTheCustomersZoneAndDeliveryStopsIt() {
        apply(new CustomerRegistered(NOW, "a@example.com", "A", "B", "en-US", "America/New_York", null,
                ChannelConsents.none(), null));
        apply(new ShipmentDispatched("s-1", "o-1", "UPS", "T1", NOW, LocalDate.of(2026, 3, 12)));
        apply(new ShipmentDispatched("s-2", "o-2", "UPS", "T2", NOW, LocalDate.of(2026, 3, 12)));
        ShipmentTimer timer = state.timer("s-1", "o-1", customer);

        // 13 March 00:00 in New York is 04:00 UTC (daylight saving time began on 8 March), plus one day's grace.
        assertThat(timer.dueAt()).isEqualTo(Instant.parse("2026-03-14T04:00:00Z"));
        apply(new ShipmentDelivered("s-2", "o-2", NOW));
        assertThat(state.timer("s-2", "o-2", customer).dueAt()).isNull();

        OrderState order = state.order("o-1", customer);
        assertThat(rules.shipmentOverdue(timer, order, state.customer(customer), timer.dueAt()))
                .hasValueSatisfying(r -> assertThat(r.reason()).contains("not delivered by its promised date"));
        assertThat(timer.state()).isEqualTo(ShipmentTimer.State.APOLOGISED);
        assertThat(rules.shipmentOverdue(timer, order, state.customer(customer), timer.dueAt())).isEmpty();
    }

    @Test
    void aDelayReportedAfterDeliveryOrForACancelledOrderApologisesForNothing() {
        apply(new ShipmentDelivered("s-1", "o-1", NOW));
        assertThat(apply(new ShipmentDelayed("s-1", "o-1", null, "late report"))).isEmpty();

        apply(TestEvents.orderPlaced(customer).orderId("o-2").build());
        apply(TestEvents.orderCancelled(customer, "o-2"));
        assertThat(apply(new ShipmentDelayed("s-2", "o-2", null, "late"))).isEmpty();
    }

    @Test
    void winBackClimbsTheLadderAndANewOrderStartsItAgain() {
        Instant ordered = NOW.minus(Duration.ofDays(100));
        apply(TestEvents.orderPlaced(customer).placedAt(ordered).build());
        CustomerState c = state.customer(customer);
        assertThat(c.winBackDueAt()).isEqualTo(ordered.plus(Duration.ofDays(60)));

        assertThat(rules.winBackDue(c, ordered.plus(Duration.ofDays(59)))).isEmpty();
        assertThat(rules.winBackDue(c, ordered.plus(Duration.ofDays(60))))
                .hasValueSatisfying(r -> assertThat(r.attributes()).containsEntry("step", "1"));
        assertThat(c.winBackDueAt()).isEqualTo(ordered.plus(Duration.ofDays(90)));
        assertThat(rules.winBackDue(c, ordered.plus(Duration.ofDays(90))))
                .hasValueSatisfying(r -> assertThat(r.attributes()).containsEntry("step", "2"));
        assertThat(c.winBackDueAt()).isNull();

        apply(TestEvents.orderPlaced(customer).placedAt(NOW).build());
        assertThat(c.winBackStep()).isZero();
        assertThat(c.winBackDueAt()).isEqualTo(NOW.plus(Duration.ofDays(60)));
    }

    @Test
    void anOlderOrderArrivingLateDoesNotResetTheLadder() {
        apply(TestEvents.orderPlaced(customer).placedAt(NOW).build());
        apply(TestEvents.orderPlaced(customer).placedAt(NOW.minus(Duration.ofDays(30))).build());
        assertThat(state.customer(customer).lastOrderAt()).isEqualTo(NOW);
    }

    private static CustomerRegistered consenting() {
        return new CustomerRegistered(NOW, "a@example.com", "A", "B", "en-GB", "Europe/London", null,
                new ChannelConsents(true, false, false, false), null);
    }

    @Test
    void theReferralInvitationComesWithTheFirstOrderOnly() {
        apply(consenting());
        EventEnvelope<OrderPlaced> firstOrder = TestEvents.orderPlaced(customer).build();
        List<TriggerRequest> first = apply(firstOrder);
        List<TriggerRequest> second = apply(TestEvents.orderPlaced(customer).build());

        assertThat(first).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.REFERRAL_INVITATION);
            assertThat(r.orderId()).isEqualTo(firstOrder.data().orderId());
            assertThat(r.sourceEventId()).isEqualTo(firstOrder.id());
            assertThat(r.attributes().get("referralCode")).startsWith("REF-");
        });
        assertThat(second).isEmpty();
    }

    @Test
    void aFirstOrderReadBeforeTheProfileGetsItsReferralInvitationWithTheProfile() {
        // Orders and profiles come on different topics: the order may be applied first.
        EventEnvelope<OrderPlaced> firstOrder = TestEvents.orderPlaced(customer).build();
        List<TriggerRequest> atOrder = apply(firstOrder);
        List<TriggerRequest> secondOrder = apply(TestEvents.orderPlaced(customer).build());
        List<TriggerRequest> atProfile = apply(consenting());
        List<TriggerRequest> atUpdate = apply(new CustomerUpdated(NOW, "a@example.com", "A", "B", "en-GB",
                "Europe/London", null, new ChannelConsents(true, false, false, false)));

        assertThat(atOrder).isEmpty();
        assertThat(secondOrder).isEmpty();
        assertThat(atProfile).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.REFERRAL_INVITATION);
            assertThat(r.dedupeKey()).isEqualTo(customer);
            assertThat(r.orderId()).isEqualTo(firstOrder.data().orderId());
            assertThat(r.sourceEventId()).isEqualTo(firstOrder.id());
        });
        assertThat(atUpdate).as("asked for once").isEmpty();
    }

    @Test
    void anErasedCustomersWaitingReferralInvitationIsDropped() {
        apply(TestEvents.orderPlaced(customer).build());
        apply(new CustomerErased(NOW));

        assertThat(state.customer(customer).referralWaitingEventId()).isNull();
    }

    @Test
    void aReviewRequestIsDueAfterDeliveryButNotForReturnedOrReviewedOrders() {
        Instant delivered = NOW.minus(Duration.ofDays(8));
        EventEnvelope<OrderPlaced> kept = TestEvents.orderPlaced(customer).build();
        EventEnvelope<OrderPlaced> returned = TestEvents.orderPlaced(customer).build();
        EventEnvelope<OrderPlaced> reviewed = TestEvents.orderPlaced(customer).build();
        for (var order : List.of(kept, returned, reviewed)) {
            apply(order);
            apply(new ShipmentDelivered("s-" + order.data().orderId(), order.data().orderId(), delivered));
        }
        apply(TestEvents.orderReturned(customer, returned.data().orderId(), "10.00", "EUR"));
        List<TriggerRequest> thanks = apply(new ReviewSubmitted("r-1", reviewed.data().orderId(), "sku", 5, true, NOW));

        assertThat(rules.reviewRequestDue(state.order(kept.data().orderId(), customer), NOW))
                .hasValueSatisfying(r -> assertThat(r.type()).isEqualTo(TriggerType.REVIEW_REQUEST));
        assertThat(rules.reviewRequestDue(state.order(returned.data().orderId(), customer), NOW)).isEmpty();
        assertThat(rules.reviewRequestDue(state.order(reviewed.data().orderId(), customer), NOW)).isEmpty();
        assertThat(thanks).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.REVIEW_THANKS);
            assertThat(r.dedupeKey()).isEqualTo(reviewed.data().orderId());
        });
    }

    @Test
    void tierUpIsCongratulatedButADowngradeIsNot() {
        assertThat(apply(new TierChanged("bronze", "silver", TierChanged.Direction.UP, "spend",
                Money.of("600.00", "EUR"), NOW))).singleElement()
                .satisfies(r -> assertThat(r.attributes()).containsEntry("toTier", "silver"));
        assertThat(apply(new TierChanged("silver", "bronze", TierChanged.Direction.DOWN, "grace over",
                Money.of("100.00", "EUR"), NOW))).isEmpty();
        assertThat(state.customer(customer).tier()).isEqualTo("bronze");
    }

    @Test
    void aDowngradeAtRiskBecomesOneWarningPerDowngradeDate() {
        var risk = new dev.retention.contracts.events.TierDowngradeAtRisk("gold", "silver",
                Money.of("1200.00", "EUR"), Money.of("300.00", "EUR"), LocalDate.of(2026, 4, 9));
        assertThat(apply(risk)).singleElement().satisfies(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.DOWNGRADE_WARNING);
            assertThat(r.dedupeKey()).isEqualTo(customer + ":2026-04-09");
            assertThat(r.marketing()).isFalse();
            assertThat(r.attributes()).containsEntry("shortfall", "300.00").containsEntry("projectedTier", "silver");
        });
    }

    @Test
    void aSegmentMatchesOnTierInactivityAndLifetimeSpendTogether() {
        CustomerState c = CustomerState.stored(customer).tier("gold")
                .orders(1, "o-1", NOW.minus(Duration.ofDays(45)), "e-1", new BigDecimal("800.00")).build();

        assertThat(new Segment(java.util.Set.of("gold", "silver"), 30, new BigDecimal("500")).matches(c, NOW)).isTrue();
        assertThat(new Segment(java.util.Set.of("silver"), null, null).matches(c, NOW)).isFalse();
        assertThat(new Segment(null, 60, null).matches(c, NOW)).isFalse();
        assertThat(new Segment(null, null, new BigDecimal("800.01")).matches(c, NOW)).isFalse();
        CustomerState neverOrdered = CustomerState.stored(customer).tier("gold")
                .orders(0, null, null, null, new BigDecimal("800.00")).build();
        assertThat(new Segment(null, 30, null).matches(neverOrdered, NOW)).as("never ordered is new, not inactive")
                .isFalse();
    }

    @Test
    void pointsExpiringBecomesOneReminderPerExpiryDate() {
        List<TriggerRequest> reminder = apply(new PointsExpiring(120, LocalDate.of(2026, 4, 1), 300));
        assertThat(reminder).singleElement().satisfies(r -> {
            assertThat(r.dedupeKey()).isEqualTo(customer + ":2026-04-01");
            assertThat(r.attributes()).containsEntry("points", "120");
        });
    }

    @Test
    void aSwitchedOffTriggerNeverAsks() {
        CampaignRules quiet = new CampaignRules(policy(TriggerType.DELAY_APOLOGY, TriggerType.REFERRAL_INVITATION),
                new VoucherCodeGenerator());
        assertThat(quiet.apply(TestEvents.orderPlaced(customer).build(), state, NOW)).isEmpty();
        assertThat(quiet.apply(TestEvents.envelope(customer, new ShipmentDelayed("s", "o", null, "late")), state, NOW))
                .isEmpty();
    }

    @Test
    void anOrderInACurrencyWithoutRateOrOfAnotherCustomerIsRejected() {
        assertThatThrownBy(() -> apply(TestEvents.orderPlaced(customer).currency("JPY").build()))
                .isInstanceOf(CampaignRejectedException.class).hasMessageContaining("no exchange rate for JPY");
        apply(TestEvents.orderPlaced(customer).orderId("o-9").build());
        String other = "c-other";
        state.customers().put(other, new CustomerState(other));
        assertThatThrownBy(() -> rules.apply(TestEvents.orderCancelled(other, "o-9"), state, NOW))
                .isInstanceOf(CampaignRejectedException.class).hasMessageContaining("belongs to another customer");
    }

    @Test
    void lifetimeSpendCountsNetMerchandiseInTheBaseCurrency() {
        EventEnvelope<OrderPlaced> dollars = TestEvents.orderPlaced(customer).currency("USD").line("sku", 1, "100.00")
                .build();
        apply(dollars);
        apply(TestEvents.orderReturned(customer, dollars.data().orderId(), "50.00", "USD"));
        assertThat(state.customer(customer).lifetimeSpend()).isEqualByComparingTo("45.00");
        apply(TestEvents.orderCancelled(customer, dollars.data().orderId()));
        assertThat(state.customer(customer).lifetimeSpend()).isEqualByComparingTo("0");
    }
}
