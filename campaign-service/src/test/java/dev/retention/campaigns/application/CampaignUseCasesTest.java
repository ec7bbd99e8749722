package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.Segment;
import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.domain.TriggerRecord;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.domain.VoucherOffer;
import dev.retention.campaigns.domain.VoucherRefusedException;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.EventRejectedException;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The use cases called directly, each against the real database, without the broker in between: what they return
 * and the rows they leave.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CampaignUseCasesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ApplyCampaignEvents applyEvents;
    @Inject
    TriggerIssuer issuer;
    @Inject
    ApologiseForOverdueShipments overdueShipments;
    @Inject
    OfferBirthdays birthdays;
    @Inject
    OfferWinBacks winBacks;
    @Inject
    RequestReviews reviewRequests;
    @Inject
    RedeemVoucher redeemVoucher;
    @Inject
    ReadVouchers readVouchers;
    @Inject
    ReadTriggerHistory triggerHistory;
    @Inject
    ScheduleSegmentCampaign scheduleCampaign;
    @Inject
    RunSegmentCampaigns segmentCampaigns;
    @Inject
    ReadSegmentCampaigns readCampaigns;
    @Inject
    CancelSegmentCampaign cancelCampaign;
    @Inject
    CampaignStore store;
    @Inject
    MovableClock clock;
    @Inject
    Pool pool;

    private final String customer = "c-" + UUID.randomUUID();

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aBatchSavesTheRowsItChangedAndReturnsTheTriggersItIssued() {
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).build();
        String orderId = order.data().orderId();

        List<EventEnvelope<?>> issued = apply(TestEvents.customerRegistered(customer, null), order,
                TestEvents.shipmentDispatched(customer, orderId, LocalDate.now(ZoneOffset.UTC).plusDays(2)),
                TestEvents.shipmentDelayed(customer, orderId, LocalDate.now(ZoneOffset.UTC).plusDays(5)));

        assertThat(issued).extracting(e -> fired(e).triggerType())
                .containsExactly(TriggerType.REFERRAL_INVITATION, TriggerType.DELAY_APOLOGY);
        assertThat(issued).allSatisfy(e -> assertThat(e.customerId()).isEqualTo(customer));
        assertThat(value("SELECT order_count FROM campaign_customer WHERE customer_id = $1", customer)).isEqualTo(1);
        assertThat(value("SELECT status FROM campaign_order WHERE order_id = $1", orderId)).isEqualTo("PLACED");
        assertThat(value("SELECT state FROM shipment_timer WHERE shipment_id = $1", "shp-" + orderId))
                .isEqualTo("APOLOGISED");
        String code = fired(issued.get(1)).voucher().code();
        assertThat(await(readVouchers.of(customer, 10))).extracting(IssuedVoucher::code).containsExactly(code);
        assertThat(await(triggerHistory.of(customer, 10))).extracting(TriggerRecord::outcome)
                .containsExactly("FIRED", "FIRED");
    }

    @Test
    void anEventTheRulesCannotTakeIsRejectedForTheKitToDeadLetterAndChangesNothing() {
        assertThatThrownBy(() -> apply(TestEvents.orderPlaced(customer).currency("JPY").build()))
                .isInstanceOf(EventRejectedException.class).hasMessageContaining("no exchange rate for JPY");

        assertThat(value("SELECT order_count FROM campaign_customer WHERE customer_id = $1", customer))
                .as("the transaction rolled back").isNull();
    }

    @Test
    void theSameTriggerIsIssuedOnceWhateverTheTransaction() {
        apply(TestEvents.customerRegistered(customer, null));
        TriggerRequest thanks = TriggerRequest.of(TriggerType.REVIEW_THANKS, customer, "ord-" + customer,
                "review submitted", "evt-" + customer).at(clock.instant());

        List<EventEnvelope<?>> first = issue(thanks);
        List<EventEnvelope<?>> again = issue(thanks);

        assertThat(first).singleElement().satisfies(e -> {
            assertThat(fired(e).triggerType()).isEqualTo(TriggerType.REVIEW_THANKS);
            assertThat(fired(e).sourceEventId()).isEqualTo("evt-" + customer);
        });
        assertThat(again).isEmpty();
        assertThat(value("SELECT count(*) FROM trigger_log WHERE customer_id = $1", customer)).isEqualTo(1L);
    }

    @Test
    void anOverdueShipmentIsApologisedForOnceWhenItsTimeHasCome() {
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).build();
        String orderId = order.data().orderId();
        apply(TestEvents.customerRegistered(customer, null), order,
                TestEvents.shipmentDispatched(customer, orderId, LocalDate.now(ZoneOffset.UTC)));
        String apologies = "SELECT count(*) FROM trigger_log WHERE customer_id = $1 AND trigger_type = 'delay-apology'"
                + " AND outcome = 'FIRED'";

        await(overdueShipments.run());
        assertThat(value(apologies, customer)).as("not due yet").isEqualTo(0L);

        clock.advance(Duration.ofDays(3));
        int published = await(overdueShipments.run());
        await(overdueShipments.run());

        assertThat(published).isGreaterThanOrEqualTo(1);
        assertThat(value(apologies, customer)).as("once, whatever the runs").isEqualTo(1L);
        assertThat(value("SELECT state FROM shipment_timer WHERE shipment_id = $1", "shp-" + orderId))
                .isEqualTo("APOLOGISED");
    }

    @Test
    void aBirthdayOfferGoesOutOnceAndNextYearsIsScheduled() {
        LocalDate birthDate = LocalDate.now(ZoneOffset.UTC).plusDays(5).minusYears(30);
        if (birthDate.getMonthValue() == 2 && birthDate.getDayOfMonth() == 29) {
            birthDate = birthDate.minusDays(1);
        }
        apply(TestEvents.customerRegistered(customer, birthDate));
        int thisYear = (Integer) value("SELECT birthday_year FROM campaign_customer WHERE customer_id = $1", customer);

        await(birthdays.run());
        await(birthdays.run());

        assertThat(values("SELECT outcome FROM trigger_log WHERE customer_id = $1 AND trigger_type = 'birthday-offer'",
                customer)).containsExactly("FIRED");
        assertThat(value("SELECT birthday_year FROM campaign_customer WHERE customer_id = $1", customer))
                .isEqualTo(thisYear + 1);
    }

    @Test
    void aWinBackOfferClimbsOneStepWhenNoOrderCame() {
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).placedAt(clock.instant()).build();
        apply(TestEvents.customerRegistered(customer, null), order);

        clock.advance(Duration.ofDays(61));
        await(winBacks.run());
        await(winBacks.run());

        assertThat(values("SELECT outcome FROM trigger_log WHERE customer_id = $1 AND trigger_type = 'win-back'",
                customer)).containsExactly("FIRED");
        assertThat(value("SELECT win_back_step FROM campaign_customer WHERE customer_id = $1", customer)).isEqualTo(1);
    }

    @Test
    void aReviewRequestIsAskedForOnceSomeDaysAfterDelivery() {
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).build();
        String orderId = order.data().orderId();
        apply(TestEvents.customerRegistered(customer, null), order, TestEvents.shipmentDelivered(customer, orderId));

        await(reviewRequests.run());
        assertThat(value("SELECT review_request_due_at FROM campaign_order WHERE order_id = $1", orderId))
                .as("due in a week").isNotNull();
        clock.advance(Duration.ofDays(8));
        await(reviewRequests.run());
        await(reviewRequests.run());

        assertThat(values("SELECT order_id FROM trigger_log WHERE customer_id = $1 AND trigger_type = 'review-request'",
                customer)).containsExactly(orderId);
        assertThat(value("SELECT review_request_due_at FROM campaign_order WHERE order_id = $1", orderId)).isNull();
    }

    @Test
    void aVoucherIsRedeemedForOneOrderOnlyAndTheSameOrderAgainGetsTheSameAnswer() {
        String code = apologyVoucher();
        Instant now = clock.instant();
        Money orderValue = Money.of("20.00", "EUR");

        IssuedVoucher redeemed = await(redeemVoucher.redeem(code.toLowerCase(Locale.ROOT), customer, "o-1",
                orderValue, now));
        IssuedVoucher again = await(redeemVoucher.redeem(code, customer, "o-1", orderValue, now));

        assertThat(redeemed.redeemedOrderId()).isEqualTo("o-1");
        assertThat(again.redeemedOrderId()).isEqualTo("o-1");
        assertThat(value("SELECT redeemed_order_id FROM voucher WHERE code = $1", code)).isEqualTo("o-1");
        assertThatThrownBy(() -> await(redeemVoucher.redeem(code, customer, "o-2", orderValue, now)))
                .isInstanceOfSatisfying(VoucherRefusedException.class, e ->
                        assertThat(e.reason()).isEqualTo(VoucherRefusedException.Reason.ALREADY_REDEEMED));
        assertThatThrownBy(() -> await(redeemVoucher.redeem(code, "c-someone-else", "o-3", orderValue, now)))
                .isInstanceOfSatisfying(VoucherRefusedException.class, e ->
                        assertThat(e.reason()).isEqualTo(VoucherRefusedException.Reason.UNKNOWN_VOUCHER));
    }

    @Test
    void aSegmentCampaignOffersItsMembersWithinItsBudgetThenCompletes() {
        String tier = "tier-" + UUID.randomUUID();
        for (String member : List.of(customer, "c-" + UUID.randomUUID())) {
            apply(TestEvents.customerRegistered(member, null), TestEvents.envelope(member, new TierChanged("bronze",
                    tier, TierChanged.Direction.UP, "spend", Money.of("600.00", "EUR"), Instant.now())));
        }
        SegmentCampaign campaign = campaign(clock.instant().minus(Duration.ofHours(1)), new Segment(Set.of(tier),
                null, null), 1);

        assertThat(await(scheduleCampaign.schedule(campaign))).isTrue();
        assertThat(await(scheduleCampaign.schedule(campaign))).as("its id is taken").isFalse();
        await(segmentCampaigns.run());

        SegmentCampaign after = await(readCampaigns.get(campaign.campaignId())).orElseThrow();
        assertThat(after.issued()).isEqualTo(1);
        assertThat(after.status()).isEqualTo(SegmentCampaign.Status.COMPLETED);
        assertThat(values("SELECT outcome FROM trigger_log WHERE campaign_id = $1", campaign.campaignId()))
                .containsExactlyInAnyOrder("FIRED", "OVER_BUDGET");
        assertThat(await(readCampaigns.list(500))).extracting(SegmentCampaign::campaignId)
                .contains(campaign.campaignId());
    }

    @Test
    void cancellingStopsAnActiveCampaignOnceAndFindsNoUnknownOne() {
        SegmentCampaign campaign = campaign(clock.instant().plus(Duration.ofDays(1)), new Segment(null, null, null),
                null);
        await(scheduleCampaign.schedule(campaign));

        CancelSegmentCampaign.Cancellation first = await(cancelCampaign.cancel(campaign.campaignId()));
        CancelSegmentCampaign.Cancellation second = await(cancelCampaign.cancel(campaign.campaignId()));

        assertThat(first.cancelledNow()).isTrue();
        assertThat(first.campaign()).hasValueSatisfying(c ->
                assertThat(c.status()).isEqualTo(SegmentCampaign.Status.CANCELLED));
        assertThat(second.cancelledNow()).isFalse();
        assertThat(second.campaign()).isPresent();
        assertThat(await(cancelCampaign.cancel("cmp-unknown-" + UUID.randomUUID())).campaign()).isEmpty();
    }

    // ---- helpers ----

    private List<EventEnvelope<?>> apply(EventEnvelope<?>... events) {
        return await(pool.withTransaction(tx -> applyEvents.apply(tx, List.of(events))));
    }

    private List<EventEnvelope<?>> issue(TriggerRequest request) {
        return await(pool.withTransaction(tx -> store.lockCustomers(tx, List.of(request.customerId()))
                .chain(customers -> issuer.issue(tx, List.of(request), customers, clock.instant())))).events();
    }

    private String apologyVoucher() {
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).build();
        String orderId = order.data().orderId();
        return apply(TestEvents.customerRegistered(customer, null), order,
                TestEvents.shipmentDelayed(customer, orderId, LocalDate.now(ZoneOffset.UTC).plusDays(5))).stream()
                .map(CampaignUseCasesTest::fired).filter(f -> f.triggerType() == TriggerType.DELAY_APOLOGY)
                .findFirst().orElseThrow().voucher().code();
    }

    private static SegmentCampaign campaign(Instant startsAt, Segment segment, Integer maxVouchers) {
        return new SegmentCampaign("cmp-" + UUID.randomUUID(), "five off", startsAt, startsAt.plus(Duration.ofDays(2)),
                segment, new VoucherOffer(Map.of("EUR", new BigDecimal("5.00")), null, null, false, Map.of(),
                Duration.ofDays(7)), maxVouchers, 0, SegmentCampaign.Status.ACTIVE, "");
    }

    private static TriggerFired fired(EventEnvelope<?> event) {
        return (TriggerFired) event.data();
    }

    private static <T> T await(Uni<T> uni) {
        return uni.await().atMost(WAIT);
    }

    private Object value(String sql, String parameter) {
        List<Object> found = values(sql, parameter);
        return found.isEmpty() ? null : found.get(0);
    }

    private List<Object> values(String sql, String parameter) {
        List<Object> values = new ArrayList<>();
        for (Row row : await(pool.preparedQuery(sql).execute(Tuple.of(parameter)))) {
            values.add(row.getValue(0));
        }
        return values;
    }
}
