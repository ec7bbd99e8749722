package dev.retention.points;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.events.FeedbackRecorded;
import dev.retention.contracts.events.TriggerType;
import dev.retention.eventing.DeadLetters;
import dev.retention.points.application.ExpireInactivePoints;
import dev.retention.points.application.ReleaseDuePoints;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.LockWaits;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Events in, ledger and loyalty.points out: the real broker, the real database, the packaged rules. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PointsFlowTest {

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    ReleaseDuePoints release;
    @Inject
    ExpireInactivePoints expiry;
    @Inject
    Pool pool;
    @TestHTTPResource(value = "metrics", management = true) // under the management root, /q
    java.net.URL metrics;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_TIER_CHANGES, Topics.LOYALTY_POINTS, Topics.RETENTION_TRIGGERS);
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
    void orderEarnsPendingPointsAndPublishesTheLedgerEntry() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "39.99").build();

        kafka.publish(Topics.ORDERS, order);

        JsonPath balance = awaitBalance(customer, b -> b.getLong("pending") == 39);
        assertThat(balance.getLong("available")).isZero();
        assertThat(balance.getLong("lifetimeEarned")).isEqualTo(39);
        PointsChanged published = (PointsChanged) awaitPublished(customer, 1).get(0).data();
        assertThat(published.kind()).isEqualTo(PointsChanged.Kind.EARNED_PENDING);
        assertThat(published.points()).isEqualTo(39);
        assertThat(published.pendingAfter()).isEqualTo(39);
        assertThat(published.causeEventId()).isEqualTo(order.id());
    }

    @Test
    void theTierInForceWhenTheOrderWasPlacedMultipliesThePoints() {
        String customer = newCustomer();
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(customer, new TierChanged("bronze", "gold",
                TierChanged.Direction.UP, "threshold", Money.of("1600.00", "EUR"), Instant.now().minusSeconds(60))));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("customer_tier", customer) == 1);

        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 2, "10.00").build());

        awaitBalance(customer, b -> b.getLong("pending") == 60);
    }

    @Test
    void aTierChangeThatArrivesAfterAnOrderPlacedUnderItReRatesTheOrder() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 2, "10.00").build();
        kafka.publish(Topics.ORDERS, order);
        awaitBalance(customer, b -> b.getLong("pending") == 20);

        EventEnvelope<?> gold = TestEvents.envelope(customer, new TierChanged("bronze", "gold",
                TierChanged.Direction.UP, "threshold", Money.of("1600.00", "EUR"), Instant.now().minusSeconds(60)));
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, gold);
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, gold); // a redelivery re-rates nothing more

        JsonPath balance = awaitBalance(customer, b -> b.getLong("pending") == 60);
        assertThat(balance.getLong("lifetimeEarned")).isEqualTo(60);
        PointsChanged correction = (PointsChanged) awaitPublished(customer, 2).get(1).data();
        assertThat(correction.kind()).isEqualTo(PointsChanged.Kind.EARNED_PENDING);
        assertThat(correction.points()).isEqualTo(40);
        assertThat(correction.rule()).isEqualTo("order.tier-correction");
        assertThat(correction.orderId()).isEqualTo(((OrderPlaced) order.data()).orderId());
        assertThat(correction.causeEventId()).isEqualTo(gold.id());
        // A cancellation then reverses all of it, the correction included.
        kafka.publish(Topics.ORDERS, TestEvents.orderCancelled(customer, ((OrderPlaced) order.data()).orderId()));
        awaitBalance(customer, b -> b.getLong("pending") == 0 && b.getLong("lifetimeEarned") == 0);
    }

    @Test
    void deliveredPointsAreReleasedWhenTheReturnWindowCloses() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "50.00").build();
        String orderId = ((dev.retention.contracts.events.OrderPlaced) order.data()).orderId();
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer, orderId));
        await().atMost(Duration.ofSeconds(30)).until(() -> deliveredRecorded(orderId));

        clock.advance(Duration.ofDays(29));
        release.releaseAll().await().atMost(Duration.ofSeconds(30));
        assertThat(balance(customer).getLong("pending")).isEqualTo(50);

        clock.advance(Duration.ofDays(2));
        release.releaseAll().await().atMost(Duration.ofSeconds(30));

        JsonPath balance = balance(customer);
        assertThat(balance.getLong("pending")).isZero();
        assertThat(balance.getLong("available")).isEqualTo(50);
        assertThat(awaitPublished(customer, 2)).extracting(e -> ((PointsChanged) e.data()).kind())
                .containsExactly(PointsChanged.Kind.EARNED_PENDING, PointsChanged.Kind.RELEASED);
    }

    @Test
    void releaseJobsRunningAtOnceReleaseEachOrderOnce() {
        List<String> customers = new java.util.ArrayList<>();
        for (int i = 0; i < 30; i++) {
            String customer = newCustomer();
            customers.add(customer);
            EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "20.00").build();
            kafka.publish(Topics.ORDERS, order);
            kafka.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer,
                    ((dev.retention.contracts.events.OrderPlaced) order.data()).orderId()));
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                "SELECT count(*) FROM points_order WHERE customer_id = ANY($1) AND placed AND delivered_at IS NOT NULL")
                .executeAndAwait(Tuple.tuple().addArrayOfString(customers.toArray(String[]::new)))
                .iterator().next().getLong(0) == 30);
        clock.advance(Duration.ofDays(31));

        // Two replicas' jobs at the same moment: SKIP LOCKED splits the work, nothing is released twice.
        var first = release.releaseAll().subscribeAsCompletionStage();
        var second = release.releaseAll().subscribeAsCompletionStage();
        first.join();
        second.join();
        release.releaseAll().await().atMost(Duration.ofSeconds(30));

        long released = pool.preparedQuery("SELECT count(*) FROM points_ledger WHERE customer_id = ANY($1) "
                        + "AND kind = 'RELEASED'")
                .executeAndAwait(Tuple.tuple().addArrayOfString(customers.toArray(String[]::new)))
                .iterator().next().getLong(0);
        assertThat(released).isEqualTo(30);
        assertThat(customers).allSatisfy(customer -> {
            JsonPath balance = balance(customer);
            assertThat(balance.getLong("available")).isEqualTo(20);
            assertThat(balance.getLong("pending")).isZero();
        });
    }

    @Test
    void cancellationReversesEarnedPointsAndRefundsRedeemedOnes() {
        String customer = registered();
        adjust(customer, 400);
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "80.00").pointsRedeemed(300, "3.00")
                .build();
        String orderId = ((dev.retention.contracts.events.OrderPlaced) order.data()).orderId();
        kafka.publish(Topics.ORDERS, order);
        awaitBalance(customer, b -> b.getLong("available") == 200 && b.getLong("pending") == 77);

        kafka.publish(Topics.ORDERS, TestEvents.orderCancelled(customer, orderId));

        awaitBalance(customer, b -> b.getLong("available") == 500 && b.getLong("pending") == 0);
    }

    @Test
    void partialReturnReversesItsShare() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("a", 1, "60.00").line("b", 1, "40.00").build();
        String orderId = ((dev.retention.contracts.events.OrderPlaced) order.data()).orderId();
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.ORDERS, TestEvents.orderReturned(customer, orderId, "40.00", "EUR"));

        awaitBalance(customer, b -> b.getLong("pending") == 60);
    }

    @Test
    void registrationReviewAndReferralBonuses() {
        String referrer = newCustomer();
        String referred = newCustomer();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(referrer, null));
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(referred,
                new dev.retention.contracts.events.CustomerRegistered(Instant.now(), "r@example.com", "R", "S",
                        "en-GB", "Europe/London", null, dev.retention.contracts.events.ChannelConsents.none(),
                        referrer)));
        awaitBalance(referred, b -> b.getLong("available") == 100);

        EventEnvelope<?> order = TestEvents.orderPlaced(referred).line("sku", 1, "20.00").build();
        kafka.publish(Topics.ORDERS, order);
        String orderId = ((dev.retention.contracts.events.OrderPlaced) order.data()).orderId();
        kafka.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(referred, orderId, 5));
        kafka.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(referred, orderId, 4));

        awaitBalance(referrer, b -> b.getLong("available") == 300);
        awaitBalance(referred, b -> b.getLong("available") == 150 && b.getLong("pending") == 20);
    }

    @Test
    void birthdayOfferGrantsTheBirthdayBonusOnceAndOtherTriggersNothing() {
        String customer = newCustomer();
        String other = newCustomer();
        EventEnvelope<?> birthday = trigger(customer, TriggerType.BIRTHDAY_OFFER);
        EventEnvelope<?> apology = trigger(other, TriggerType.DELAY_APOLOGY);
        kafka.publish(Topics.RETENTION_TRIGGERS, apology);
        kafka.publish(Topics.RETENTION_TRIGGERS, birthday);
        kafka.publish(Topics.RETENTION_TRIGGERS, birthday);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "3.00").build());

        JsonPath balance = awaitBalance(customer, b -> b.getLong("pending") == 3 && b.getLong("available") > 0);
        assertThat(balance.getLong("available")).isEqualTo(150);
        assertThat(balance.getLong("lifetimeEarned")).isEqualTo(153);
        assertThat(awaitPublished(customer, 2)).extracting(e -> ((PointsChanged) e.data()).rule())
                .containsExactlyInAnyOrder("birthday.bonus", "order.earning");
        // The delay apology was taken in (its id is in the inbox) but is no reason to open a points account.
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery(
                "SELECT count(*) FROM eventing_inbox WHERE event_id = $1").executeAndAwait(Tuple.of(apology.id()))
                .iterator().next().getLong(0) == 1);
        assertThat(count("points_account", other)).isZero();
        assertThat(count("points_ledger", other)).isZero();
    }

    @Test
    void feedbackRecordedGrantsTheFeedbackBonusOncePerOrderWhateverTheScore() {
        String customer = newCustomer();
        // campaign-service publishes one feedback.recorded per order (its id derives from customer and order):
        // a replay or redelivery is the same event again.
        EventEnvelope<?> detractor = EventEnvelope.of(UUID.randomUUID().toString(), "/campaign-service", Instant.now(),
                customer, new FeedbackRecorded("ord-1", 0, FeedbackChannel.EMAIL, Instant.now()));
        EventEnvelope<?> promoter = EventEnvelope.of(UUID.randomUUID().toString(), "/campaign-service", Instant.now(),
                customer, new FeedbackRecorded("ord-2", 10, FeedbackChannel.WEB, Instant.now()));
        kafka.publish(Topics.RETENTION_TRIGGERS, detractor);
        kafka.publish(Topics.RETENTION_TRIGGERS, detractor);
        kafka.publish(Topics.RETENTION_TRIGGERS, promoter);
        kafka.publish(Topics.RETENTION_TRIGGERS, detractor);
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "3.00").build()); // a marker

        JsonPath balance = awaitBalance(customer, b -> b.getLong("pending") == 3 && b.getLong("available") > 0);
        assertThat(balance.getLong("available")).isEqualTo(2 * 25);
        List<PointsChanged> bonuses = awaitPublished(customer, 3).stream().map(e -> (PointsChanged) e.data())
                .filter(c -> c.rule().equals("feedback.bonus")).toList();
        assertThat(bonuses).extracting(PointsChanged::orderId).containsExactlyInAnyOrder("ord-1", "ord-2");
        assertThat(bonuses).allMatch(c -> c.points() == 25);
        assertThat(count("points_ledger", customer)).isEqualTo(3);
    }

    @Test
    void duplicatedAndRedeliveredEventsChangeNoBalance() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "25.00").build();
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.ORDERS, order);
        EventEnvelope<?> marker = TestEvents.orderPlaced(customer).line("sku", 1, "1.00").build();
        kafka.publish(Topics.ORDERS, marker);

        awaitBalance(customer, b -> b.getLong("pending") == 26);
        assertThat(count("points_ledger", customer)).isEqualTo(2);
        assertThat(awaitPublished(customer, 2)).hasSize(2);
    }

    @Test
    void inactivePointsAreAnnouncedThenExpire() {
        String customer = registered();
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "10.00").build());
        awaitBalance(customer, b -> b.getLong("pending") == 10);
        release.releaseAll().await().atMost(Duration.ofSeconds(30));

        clock.advance(Duration.ofDays(340));
        expiry.expireAll().await().atMost(Duration.ofSeconds(30));
        assertThat(balance(customer).getLong("expiringSoon.points")).isEqualTo(100);
        await().atMost(Duration.ofSeconds(30)).until(() -> published(customer).stream()
                .anyMatch(e -> e.data() instanceof PointsExpiring));

        clock.advance(Duration.ofDays(30));
        expiry.expireAll().await().atMost(Duration.ofSeconds(30));

        JsonPath balance = balance(customer);
        assertThat(balance.getLong("available")).isZero();
        assertThat(balance.getLong("pending")).isEqualTo(10);
        assertThat(published(customer)).filteredOn(e -> e.data() instanceof PointsExpiring).hasSize(1);
    }

    @Test
    void erasureKeepsTheLedgersNumbersUnderAPseudonymThatNoRowLinksToTheCustomer() {
        String referrer = registered();
        String referred = newCustomer();
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(referred,
                new dev.retention.contracts.events.CustomerRegistered(Instant.now(), "r@example.com", "R", "S",
                        "en-GB", "Europe/London", null, dev.retention.contracts.events.ChannelConsents.none(),
                        referrer)));
        EventEnvelope<?> order = TestEvents.orderPlaced(referrer).line("sku", 1, "42.00").build();
        kafka.publish(Topics.ORDERS, order);
        adjust(referrer, 7);
        awaitBalance(referrer, b -> b.getLong("pending") == 42 && b.getLong("available") == 107);
        awaitBalance(referred, b -> b.getLong("available") == 100);
        // In force only after the order was placed, so it does not re-rate it.
        kafka.publish(Topics.LOYALTY_TIER_CHANGES, TestEvents.envelope(referrer, new TierChanged("bronze", "silver",
                TierChanged.Direction.UP, "threshold", Money.of("600.00", "EUR"), Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> count("customer_tier", referrer) == 1);
        String totalsBefore = ledgerTotals(referrer);

        EventEnvelope<?> erased = TestEvents.envelope(referrer, new CustomerErased(Instant.now()));
        kafka.publish(Topics.CUSTOMERS, erased);
        kafka.publish(Topics.CUSTOMERS, erased); // a duplicate erases nothing more

        await().atMost(Duration.ofSeconds(30)).until(() -> count("points_ledger", referrer) == 0);
        Api.admin().get("/customers/{id}/points", referrer).then().statusCode(404);
        for (String column : List.of("points_account.customer_id", "points_account.referred_by",
                "points_order.customer_id", "customer_tier.customer_id", "points_api_request.customer_id")) {
            String[] c = column.split("\\.");
            assertThat(pool.preparedQuery("SELECT count(*) FROM " + c[0] + " WHERE " + c[1] + " = $1")
                    .executeAndAwait(Tuple.of(referrer)).iterator().next().getLong(0)).as(column).isZero();
        }
        String pseudonym = pool.preparedQuery("SELECT customer_id FROM points_order WHERE order_id = $1")
                .executeAndAwait(Tuple.of(((dev.retention.contracts.events.OrderPlaced) order.data()).orderId()))
                .iterator().next().getString(0);
        assertThat(pseudonym).startsWith("erased-").doesNotContain(referrer);
        assertThat(count("customer_tier", pseudonym)).isEqualTo(1);
        assertThat(pool.preparedQuery("SELECT available, pending FROM points_account WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(pseudonym)).iterator().next().toJson().encode())
                .isEqualTo("{\"available\":107,\"pending\":42}");
        assertThat(ledgerTotals(pseudonym)).as("no point appears or disappears").isEqualTo(totalsBefore);
        assertThat(pool.preparedQuery("SELECT referred_by FROM points_account WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(referred)).iterator().next().getString(0)).isEqualTo(pseudonym);
        // The referred customer is not erased and goes on as before.
        awaitBalance(referred, b -> b.getLong("available") == 100);
    }

    private String ledgerTotals(String customer) {
        return pool.preparedQuery("SELECT count(*), sum(points) FROM points_ledger WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next().toJson().encode();
    }

    @Test
    void anAccountAnotherTransactionOpensMeanwhileIsKeptAndTheOrderStillEarns() {
        String customer = newCustomer();
        double fallbacksBefore = batchFallbacks();
        // A second replica (or consumer) opens the account while the batch that first sees this customer runs: the
        // batch opened it in memory and its insert waits for the other transaction.
        io.vertx.mutiny.sqlclient.SqlConnection other = pool.getConnectionAndAwait();
        try {
            other.query("BEGIN").executeAndAwait();
            other.preparedQuery("""
                            INSERT INTO points_account (customer_id, available, last_activity_at)
                            VALUES ($1, 7, now())""")
                    .executeAndAwait(Tuple.of(customer));
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "39.99").build());
            LockWaits.awaitInsertWaiting(pool, "points_account");
            other.query("COMMIT").executeAndAwait();
        } finally {
            other.closeAndAwait();
        }

        JsonPath balance = awaitBalance(customer, b -> b.getLong("pending") == 39);
        assertThat(balance.getLong("available")).as("the other transaction's account is not overwritten").isEqualTo(7);
        assertThat(count("points_ledger", customer)).as("the order earned once").isEqualTo(1);
        assertThat(batchFallbacks()).as("the batch failed on the account and was applied again event by event")
                .isGreaterThan(fallbacksBefore);
    }

    private double batchFallbacks() {
        Matcher matcher = Pattern.compile("retention_batch_fallbacks_total\\{[^}]*} (\\S+)")
                .matcher(RestAssured.get(metrics.toString()).asString());
        return matcher.find() ? Double.parseDouble(matcher.group(1)) : 0;
    }

    @Test
    void poisonRecordIsDeadLetteredAndCounted() {
        String customer = newCustomer();
        kafka.send(Topics.ORDERS, customer, "not json".getBytes(StandardCharsets.UTF_8), Map.of());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sku", 1, "5.00").build());

        awaitBalance(customer, b -> b.getLong("pending") == 5);
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.readAll(Topics.deadLetterTopic(Topics.ORDERS,
                "points-service")).stream().anyMatch(r -> customer.equals(r.key())));
        assertThat(RestAssured.get(metrics.toString()).asString())
                .containsPattern("retention_dead_letters_total\\{[^}]*reason=\"INVALID_JSON\"[^}]*} [1-9]");
    }

    @Test
    void aRegistrationNamingOnlyTheEmailChannelEarnsTheSignUpBonus() {
        String customer = newCustomer();
        // As a shop wrote it (issue 30): an absent channel means no consent; it was dead-lettered as a null boolean.
        kafka.send(Topics.CUSTOMERS, customer, TestEvents.structuredJson(customer, "customer.registered", """
                {"registeredAt":"%s","email":"%s@example.com","locale":"en-GB","timeZone":"Europe/Berlin",
                 "consents":{"email":true}}""".formatted(Instant.now(), customer)), Map.of());

        awaitBalance(customer, b -> b.getLong("available") == 100);
        assertThat(kafka.readAll(Topics.deadLetterTopic(Topics.CUSTOMERS, "points-service")))
                .noneMatch(r -> customer.equals(r.key()));
    }

    @Test
    void ofTwoFaultsInAnOrderTheDeadLetterNamesTheFirstInTheRecord() {
        String customer = newCustomer();
        String line = """
                {"lineId":"l1","sku":"sku-1","quantity":1,"unitPrice":5.5,"lineTotal":5.5}""";
        kafka.send(Topics.ORDERS, customer, TestEvents.structuredJson(customer, "order.placed", """
                {"orderId":"o-%s","placedAt":"%s","channel":"web","currency":"EUR","lines":[%s],
                 "merchandiseTotal":"5.50","shippingTotal":"0","taxTotal":"0","discountTotal":"0","orderTotal":"5.50",
                 "pointsRedeemed":0,"pointsRedeemedValue":"0"}""".formatted(UUID.randomUUID(), Instant.now(), line)),
                Map.of());

        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.readAll(Topics.deadLetterTopic(Topics.ORDERS,
                "points-service")).stream().anyMatch(r -> customer.equals(r.key())));
        var deadLetter = kafka.readAll(Topics.deadLetterTopic(Topics.ORDERS, "points-service")).stream()
                .filter(r -> customer.equals(r.key())).findFirst().orElseThrow();
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetters.REASON).value(), StandardCharsets.UTF_8))
                .isEqualTo("SCHEMA_VIOLATION");
        // unitPrice comes before lineTotal in the line; the header named lineTotal, the first in the alphabet.
        assertThat(new String(deadLetter.headers().lastHeader(DeadLetters.FIELD).value(), StandardCharsets.UTF_8))
                .isEqualTo("$.data.lines[0].unitPrice");
    }

    /** A customer who registered and got the sign-up bonus of 100 points. */
    static String registered() {
        String customer = newCustomer();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        awaitBalance(customer, b -> b.getLong("available") == 100);
        return customer;
    }

    static void adjust(String customer, long points) {
        Api.admin().contentType("application/json").header("Idempotency-Key", UUID.randomUUID().toString())
                .body(Map.of("points", points, "reason", "test balance"))
                .post("/customers/{id}/points/adjustments", customer)
                .then().statusCode(201);
    }

    static JsonPath balance(String customer) {
        return Api.admin().get("/customers/{id}/points", customer).then().statusCode(200).extract().jsonPath();
    }

    static JsonPath awaitBalance(String customer, java.util.function.Predicate<JsonPath> condition) {
        JsonPath[] last = new JsonPath[1];
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = Api.admin().get("/customers/{id}/points", customer);
            if (response.statusCode() != 200) {
                return false;
            }
            last[0] = response.jsonPath();
            return condition.test(last[0]);
        });
        return last[0];
    }

    static List<EventEnvelope<?>> published(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.LOYALTY_POINTS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> decoder.decode(Topics.LOYALTY_POINTS, r.key(), r.value(), Map.of()))
                .<EventEnvelope<?>>map(result -> ((DecodeResult.Decoded) result).event())
                .toList();
    }

    static List<EventEnvelope<?>> awaitPublished(String customer, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> published(customer).size() >= expected);
        return published(customer).stream()
                .filter(e -> !(e.data() instanceof PointsChanged changed) || !"manual.adjustment".equals(changed.rule()))
                .toList();
    }

    private long count(String table, String customer) {
        return pool.preparedQuery("SELECT count(*) FROM " + table + " WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next().getLong(0);
    }

    private boolean deliveredRecorded(String orderId) {
        return pool.preparedQuery("SELECT count(*) FROM points_order WHERE order_id = $1 AND delivered_at IS NOT NULL "
                + "AND placed").executeAndAwait(Tuple.of(orderId)).iterator().next().getLong(0) == 1;
    }

    private static EventEnvelope<?> trigger(String customer, TriggerType type) {
        return TestEvents.envelope(customer, new TriggerFired(UUID.randomUUID().toString(), type, null, "test",
                UUID.randomUUID().toString(), null, null, Map.of(), Instant.now()));
    }

    static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
