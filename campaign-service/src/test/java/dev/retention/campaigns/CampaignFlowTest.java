package dev.retention.campaigns;

import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Shop and loyalty events in, triggers and vouchers out, on the real broker and database, time moved by hand. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CampaignFlowTest {

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    CampaignJobs jobs;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void delayedTwiceAndRedeliveredYieldsOneApologyVoucher() {
        String customer = registered(null);
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).build();
        String orderId = order.data().orderId();
        kafka.publish(Topics.ORDERS, order);
        awaitTriggers(customer, 1); // the referral invitation of a first order
        var delayed = TestEvents.shipmentDelayed(customer, orderId, LocalDate.now().plusDays(3));
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, orderId, LocalDate.now().plusDays(1)));
        kafka.publish(Topics.SHIPMENTS, delayed);
        kafka.publish(Topics.SHIPMENTS, delayed);
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelayed(customer, orderId, LocalDate.now().plusDays(5)));

        TriggerFired apology = awaitTrigger(customer, TriggerType.DELAY_APOLOGY);
        assertThat(apology.orderId()).isEqualTo(orderId);
        assertThat(apology.sourceEventId()).isEqualTo(delayed.id());
        assertThat(apology.attributes()).containsEntry("firstTimeCustomer", "true");
        assertThat(apology.voucher().value()).isEqualTo(Money.of("10.00", "EUR"));
        assertThat(apology.voucher().freeShipping()).isTrue();
        assertThat(apology.voucher().code()).startsWith("SORRY-");

        // The overdue timer of the same shipment must not apologise a second time.
        clock.advance(Duration.ofDays(10));
        jobs.overdueShipments().await().atMost(Duration.ofSeconds(30));
        kafka.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(customer, orderId, 5)); // a marker event
        awaitTrigger(customer, TriggerType.REVIEW_THANKS);
        assertThat(triggers(customer)).extracting(TriggerFired::triggerType).containsExactlyInAnyOrder(
                TriggerType.REFERRAL_INVITATION, TriggerType.DELAY_APOLOGY, TriggerType.REVIEW_THANKS);
        JsonPath vouchers = Api.admin().get("/customers/{id}/vouchers", customer).then().statusCode(200).extract()
                .jsonPath();
        assertThat(vouchers.getList("code")).containsExactly(apology.voucher().code());
        assertThat(vouchers.getString("[0].value.amount")).isEqualTo("10.00");
        assertThat(vouchers.getString("[0].status")).isEqualTo("ACTIVE");
    }

    @Test
    void theOverdueTimerApologisesUnlessTheDeliveryCameFirst() {
        String late = registered(null);
        String onTime = registered(null);
        LocalDate promised = LocalDate.now(ZoneOffset.UTC);
        for (String customer : List.of(late, onTime)) {
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId("ord-" + customer).build());
            kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, "ord-" + customer, promised));
        }
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(onTime, "ord-" + onTime));
        awaitTriggers(late, 1);
        awaitTriggers(onTime, 1);
        await().atMost(Duration.ofSeconds(30)).until(() -> vouchersOf(onTime).isEmpty() && deliveredSeen(onTime));

        jobs.overdueShipments().await().atMost(Duration.ofSeconds(30));
        assertThat(triggers(late)).noneMatch(t -> t.triggerType() == TriggerType.DELAY_APOLOGY); // not due yet

        clock.advance(Duration.ofDays(3));
        jobs.overdueShipments().await().atMost(Duration.ofSeconds(30));

        TriggerFired apology = awaitTrigger(late, TriggerType.DELAY_APOLOGY);
        assertThat(apology.reason()).contains("not delivered by its promised date " + promised);
        assertThat(triggers(onTime)).noneMatch(t -> t.triggerType() == TriggerType.DELAY_APOLOGY);
    }

    @Test
    void twoReplicasRunningTheOverdueJobAtOnceApologiseOncePerShipment() {
        List<String> customers = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = "c-" + UUID.randomUUID();
            customers.add(customer);
            kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, "ord-" + customer,
                    LocalDate.now(ZoneOffset.UTC)));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream().allMatch(c -> query(
                "SELECT count(*) FROM shipment_timer WHERE customer_id = $1 AND due_at IS NOT NULL", c)
                .map(v -> ((Number) v).intValue() == 1).orElse(false)));
        clock.advance(Duration.ofDays(3));

        io.smallrye.mutiny.Uni.combine().all().unis(jobs.overdueShipments(), jobs.overdueShipments(),
                jobs.overdueShipments()).asTuple().await().atMost(Duration.ofSeconds(60));

        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                .until(() -> triggersByCustomer(customers).keySet().containsAll(customers));
        Map<String, List<TriggerFired>> fired = triggersByCustomer(customers);
        for (String customer : customers) {
            assertThat(fired.get(customer)).singleElement()
                    .satisfies(t -> assertThat(t.triggerType()).isEqualTo(TriggerType.DELAY_APOLOGY));
        }
    }

    @Test
    void anOrderTheRulesCannotTakeIsDeadLetteredAndTheRestGoesOn() {
        String customer = registered(null);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).currency("JPY").line("sku", 1, "5000")
                .shipping("0").build());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build());

        String dlq = Topics.deadLetterTopic(Topics.ORDERS, "campaign-service");
        kafka.createTopics(3, dlq);
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.readAll(dlq).stream()
                .anyMatch(r -> customer.equals(r.key())));
        var deadLetter = kafka.readAll(dlq).stream().filter(r -> customer.equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(deadLetter.headers().lastHeader(dev.retention.eventing.DeadLetters.DETAIL).value()))
                .contains("no exchange rate for JPY");
        await().atMost(Duration.ofSeconds(30)).until(() -> orderCount(customer) == 1);
        assertThat(awaitTrigger(customer, TriggerType.REFERRAL_INVITATION)).isNotNull();
    }

    @Test
    void birthdayOfferOnceAYearOnlyWithConsent() {
        LocalDate soon = LocalDate.now(ZoneOffset.UTC).plusDays(5).minusYears(30);
        if (soon.getMonthValue() == 2 && soon.getDayOfMonth() == 29) {
            soon = soon.minusDays(1);
        }
        String consenting = registered(soon);
        String silent = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(silent, new CustomerRegistered(Instant.now(),
                "s@example.com", "S", "D", "de-DE", "Europe/Berlin", soon, ChannelConsents.none(), null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> known(consenting) && known(silent));

        jobs.birthdays().await().atMost(Duration.ofSeconds(30));
        jobs.birthdays().await().atMost(Duration.ofSeconds(30));

        TriggerFired offer = awaitTrigger(consenting, TriggerType.BIRTHDAY_OFFER);
        assertThat(offer.voucher().percentOff()).isEqualByComparingTo("15");
        assertThat(offer.voucher().minimumOrderValue()).isEqualTo(Money.of("20.00", "EUR"));
        assertThat(offer.attributes()).doesNotContainKey("birthDate");
        assertThat(triggers(consenting)).filteredOn(t -> t.triggerType() == TriggerType.BIRTHDAY_OFFER).hasSize(1);
        assertThat(triggers(silent)).isEmpty();

        clock.advance(Duration.ofDays(366));
        jobs.birthdays().await().atMost(Duration.ofSeconds(30));
        await().atMost(Duration.ofSeconds(30)).until(() -> triggers(consenting).stream()
                .filter(t -> t.triggerType() == TriggerType.BIRTHDAY_OFFER).count() == 2);
    }

    @Test
    void winBackLadderClimbsAndANewOrderStopsIt() {
        String customer = registered(null);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build());
        awaitTriggers(customer, 1);

        clock.advance(Duration.ofDays(61));
        jobs.winBacks().await().atMost(Duration.ofSeconds(30));
        TriggerFired first = awaitTrigger(customer, TriggerType.WIN_BACK);
        assertThat(first.attributes()).containsEntry("step", "1");
        assertThat(first.voucher().value()).isEqualTo(Money.of("5.00", "EUR"));

        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).placedAt(clock.instant()).build());
        await().atMost(Duration.ofSeconds(30)).until(() -> orderCount(customer) == 2);
        clock.advance(Duration.ofDays(30)); // 91 days after the first order, 30 after the second
        jobs.winBacks().await().atMost(Duration.ofSeconds(30));

        assertThat(triggers(customer)).filteredOn(t -> t.triggerType() == TriggerType.WIN_BACK).hasSize(1);
    }

    @Test
    void reviewRequestAfterDeliveryButNotForAReturnedOrder() {
        String customer = registered(null);
        String kept = "ord-k-" + customer;
        String returned = "ord-r-" + customer;
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(kept).build());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(returned).build());
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer, kept));
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer, returned));
        kafka.publish(Topics.ORDERS, TestEvents.orderReturned(customer, returned, "25.00", "EUR"));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveredSeen(customer) && orderCount(customer) == 2);

        clock.advance(Duration.ofDays(8));
        jobs.reviewRequests().await().atMost(Duration.ofSeconds(30));

        TriggerFired request = awaitTrigger(customer, TriggerType.REVIEW_REQUEST);
        assertThat(request.orderId()).isEqualTo(kept);
        assertThat(triggers(customer)).filteredOn(t -> t.triggerType() == TriggerType.REVIEW_REQUEST).hasSize(1);
    }

    @Test
    void loyaltyNewsBecomesTriggersWithoutPersonalData() {
        String customer = registered(null);
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged("bronze", "silver",
                TierChanged.Direction.UP, "spend", Money.of("600.00", "EUR"), Instant.now())));
        var expiring = TestEvents.envelope(customer, new PointsExpiring(150, LocalDate.now().plusDays(30), 400));
        kafka.publish(Topics.LOYALTY_POINTS, expiring);
        kafka.publish(Topics.LOYALTY_POINTS, expiring);

        assertThat(awaitTrigger(customer, TriggerType.TIER_UP).attributes()).containsEntry("toTier", "silver");
        assertThat(awaitTrigger(customer, TriggerType.POINTS_EXPIRING).attributes()).containsEntry("points", "150");
        assertThat(triggers(customer)).hasSize(2);
        String raw = kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> new String(r.value())).reduce("", String::concat);
        assertThat(raw).doesNotContain("@example.com", "Alex", "Doe");
    }

    @Test
    void marketingWithoutConsentIsRecordedNotSent() {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build()); // before the profile: consent unknown
        await().atMost(Duration.ofSeconds(30)).until(() -> orderCount(customer) == 1);
        assertThat(history(customer).getList("outcome")).as("the invitation waits for the profile").isEmpty();

        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerRegistered(Instant.now(),
                customer + "@example.com", "Alex", "Doe", "en-GB", "Europe/London", null,
                new ChannelConsents(false, false, false, false), null)));

        await().atMost(Duration.ofSeconds(30)).until(() -> !history(customer).getList("outcome").isEmpty());
        assertThat(history(customer).getList("outcome")).containsExactly("NO_CONSENT");
        assertThat(history(customer).getList("triggerType")).containsExactly("referral-invitation");
        assertThat(triggers(customer)).isEmpty();
    }

    @Test
    void aFirstOrderReadBeforeTheRegistrationGetsItsReferralInvitationWhenTheRegistrationArrives() {
        String customer = "c-" + UUID.randomUUID();
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).build();
        kafka.publish(Topics.ORDERS, order);
        await().atMost(Duration.ofSeconds(30)).until(() -> orderCount(customer) == 1);

        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));

        TriggerFired invitation = awaitTrigger(customer, TriggerType.REFERRAL_INVITATION);
        assertThat(invitation.orderId()).isEqualTo(order.data().orderId());
        assertThat(invitation.sourceEventId()).isEqualTo(order.id());
        assertThat(invitation.attributes().get("referralCode")).startsWith("REF-");
    }

    // ---- helpers ----

    String registered(LocalDate birthDate) {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, birthDate));
        await().atMost(Duration.ofSeconds(30)).until(() -> known(customer));
        return customer;
    }

    /** What the consumer has applied so far, read from its database, so that tests wait for it and not longer. */
    boolean known(String customer) {
        return query("SELECT profile_known FROM campaign_customer WHERE customer_id = $1",
                customer).map(Boolean.class::cast).orElse(false);
    }

    int orderCount(String customer) {
        return query("SELECT order_count FROM campaign_customer WHERE customer_id = $1", customer)
                .map(v -> ((Number) v).intValue()).orElse(0);
    }

    boolean deliveredSeen(String customer) {
        return query("SELECT count(*) FROM campaign_order WHERE customer_id = $1 "
                + "AND delivered_at IS NOT NULL", customer).map(v -> ((Number) v).intValue() > 0).orElse(false);
    }

    private java.util.Optional<Object> query(String sql, String customer) {
        var rows = pool.preparedQuery(sql).execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(10));
        var it = rows.iterator();
        return it.hasNext() ? java.util.Optional.ofNullable(it.next().getValue(0)) : java.util.Optional.empty();
    }

    static List<Object> vouchersOf(String customer) {
        return Api.admin().get("/customers/{id}/vouchers", customer).then().statusCode(200).extract().jsonPath()
                .getList("code");
    }

    static JsonPath history(String customer) {
        return Api.admin().get("/customers/{id}/triggers", customer).then().statusCode(200).extract().jsonPath();
    }

    /**
     * One read of the topic for many customers: their triggers (the topic also carries reward.* and voucher.*
     * events, which are not triggers).
     */
    static Map<String, List<TriggerFired>> triggersByCustomer(List<String> customers) {
        EventDecoder decoder = new EventDecoder();
        Map<String, List<TriggerFired>> found = new java.util.HashMap<>();
        kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customers.contains(r.key())).forEach(r -> {
            if (((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(), Map.of()))
                    .event().data() instanceof TriggerFired fired) {
                found.computeIfAbsent(r.key(), k -> new java.util.ArrayList<>()).add(fired);
            }
        });
        return found;
    }

    static List<TriggerFired> triggers(String customer) {
        return triggersByCustomer(List.of(customer)).getOrDefault(customer, List.of());
    }

    static void awaitTriggers(String customer, int count) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> triggers(customer).size() >= count);
    }

    static TriggerFired awaitTrigger(String customer, TriggerType type) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> triggers(customer).stream().anyMatch(t -> t.triggerType() == type));
        return triggers(customer).stream().filter(t -> t.triggerType() == type).findFirst().orElseThrow();
    }
}
