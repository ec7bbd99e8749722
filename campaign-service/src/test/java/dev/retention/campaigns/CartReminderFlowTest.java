package dev.retention.campaigns;

import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.CartLine;
import dev.retention.contracts.events.CartUpdated;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Cart reminders on the real broker and database, under the built-in programme (4 hours, then 48 hours with a
 * voucher), the service's clock moved by hand and its job run as the scheduler runs it.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class CartReminderFlowTest {

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
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS, Topics.CARTS,
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
    void aCartLeftForFourHoursIsRemindedWithItsItemsOnceAndTheSecondStepBringsAVoucher() {
        String customer = registered(true);
        String cart = "cart-" + UUID.randomUUID();
        Instant changed = clock.instant();
        EventEnvelope<CartUpdated> update = TestEvents.cartUpdated(customer, cart, changed,
                "sku-red-shoe", "1", "79.90", "sku-socks", "3", "4.50");
        kafka.publish(Topics.CARTS, update);
        awaitCart(cart, "OPEN");

        clock.advance(Duration.ofHours(3));
        runJob();
        assertThat(cartTriggers(customer)).as("not due yet").isEmpty();

        clock.advance(Duration.ofHours(1).plusMinutes(1));
        runJob();
        TriggerFired reminder = awaitTrigger(customer, TriggerType.CART_REMINDER);
        assertThat(reminder.cart().cartId()).isEqualTo(cart);
        assertThat(reminder.cart().lines()).containsExactly(
                new CartLine("sku-red-shoe", 1, Money.of("79.90", "EUR")),
                new CartLine("sku-socks", 3, Money.of("4.50", "EUR")));
        assertThat(reminder.voucher()).isNull();
        assertThat(reminder.sourceEventId()).isEqualTo(update.id());
        assertThat(reminder.attributes()).containsEntry("step", "1");

        // The same change redelivered, and sent again under a new id: nothing moves, nothing is sent twice.
        kafka.publish(Topics.CARTS, update);
        kafka.publish(Topics.CARTS, TestEvents.cartUpdated(customer, cart, changed,
                "sku-red-shoe", "1", "79.90", "sku-socks", "3", "4.50"));
        awaitConsumed(customer);
        clock.advance(Duration.ofHours(10));
        runJob();
        assertThat(cartHistory(customer)).hasSize(1);

        clock.advance(Duration.ofHours(40));
        runJob();
        await().atMost(Duration.ofSeconds(30)).until(() -> cartTriggers(customer).size() == 2);
        TriggerFired second = cartTriggers(customer).stream().filter(t -> "2".equals(t.attributes().get("step")))
                .findFirst().orElseThrow();
        assertThat(second.voucher().code()).startsWith("CART-");
        assertThat(second.voucher().percentOff()).isEqualByComparingTo("10");
        assertThat(second.cart().lines()).hasSize(2);

        clock.advance(Duration.ofDays(30));
        runJob();
        assertThat(cartHistory(customer)).as("two steps, no more").hasSize(2);
        assertThat(cartState(cart).getValue("due_at")).isNull();
    }

    @Test
    void anOrderNamingTheCartAnEmptiedCartAndAnErasureCancelTheReminder() {
        String ordered = registered(true);
        String emptied = registered(true);
        String erased = registered(true);
        String kept = registered(true);
        Instant now = clock.instant();
        for (String customer : List.of(ordered, emptied, erased, kept)) {
            kafka.publish(Topics.CARTS, TestEvents.cartUpdated(customer, "cart-" + customer, now,
                    "sku-1", "1", "25.00"));
        }
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(ordered).placedAt(now.plusSeconds(60))
                .cart("cart-" + ordered).build());
        kafka.publish(Topics.CARTS, TestEvents.cartUpdated(emptied, "cart-" + emptied, now.plusSeconds(60)));
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(erased, new CustomerErased(now.plusSeconds(60))));
        awaitCart("cart-" + ordered, "ORDERED");
        awaitCart("cart-" + emptied, "EMPTIED");
        awaitCart("cart-" + erased, "ERASED");
        awaitCart("cart-" + kept, "OPEN");
        // A late copy of the change before the emptying must not bring the items back.
        kafka.publish(Topics.CARTS, TestEvents.cartUpdated(emptied, "cart-" + emptied, now, "sku-1", "1", "25.00"));
        awaitConsumed(emptied);

        clock.advance(Duration.ofDays(3));
        runJob();

        assertThat(cartHistory(kept)).hasSize(2);
        for (String customer : List.of(ordered, emptied, erased)) {
            assertThat(cartHistory(customer)).as(customer).isEmpty();
        }
        assertThat(cartState("cart-" + erased).getString("lines")).isEqualTo("[]");
        awaitTrigger(kept, TriggerType.CART_REMINDER);
        assertThat(cartTriggers(ordered)).isEmpty();
    }

    /** The holdout group is drawn by the guards with a share above 0 (CartReminderRulesTest); %test has none. */
    @Test
    void aCustomerWithoutMarketingConsentIsRecordedButNotSent() {
        String noConsent = registered(false);
        String sent = registered(true);
        Instant now = clock.instant();
        for (String customer : List.of(noConsent, sent)) {
            kafka.publish(Topics.CARTS, TestEvents.cartUpdated(customer, "cart-" + customer, now,
                    "sku-1", "2", "12.00"));
            awaitCart("cart-" + customer, "OPEN");
        }

        clock.advance(Duration.ofHours(5));
        runJob();

        awaitTrigger(sent, TriggerType.CART_REMINDER);
        assertThat(cartHistory(noConsent)).extracting(row -> row.getString("outcome"))
                .containsExactly("NO_CONSENT");
        assertThat(cartTriggers(noConsent)).isEmpty();
    }

    // ---- helpers ----

    private void runJob() {
        jobs.cartReminders().await().atMost(Duration.ofSeconds(30));
    }

    /** A customer with or without marketing consent (%test has no holdout group). */
    private String registered(boolean consent) {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerRegistered(Instant.now(),
                customer + "@example.com", "Alex", "Doe", "en-GB", "Europe/London", null,
                new ChannelConsents(consent, false, false, false), null)));
        await().atMost(Duration.ofSeconds(30)).until(() -> count(
                "SELECT count(*) FROM campaign_customer WHERE customer_id = $1 AND profile_known", customer) == 1);
        return customer;
    }

    private void awaitCart(String cart, String state) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM campaign_cart WHERE cart_id = $1 AND state = '" + state
                        + "'", cart) == 1);
    }

    /**
     * Waits until the consumer has applied what was published for the customer so far: a checkout of another cart
     * published after it (same key, same partition, so applied after it) has made its row.
     */
    private void awaitConsumed(String customer) {
        String marker = "marker-" + UUID.randomUUID();
        kafka.publish(Topics.CARTS, TestEvents.checkoutStarted(customer, marker, clock.instant()));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> count("SELECT count(*) FROM campaign_cart WHERE cart_id = $1", marker) == 1);
    }

    private Row cartState(String cart) {
        return pool.preparedQuery("SELECT * FROM campaign_cart WHERE cart_id = $1").execute(Tuple.of(cart))
                .await().atMost(Duration.ofSeconds(10)).iterator().next();
    }

    private long count(String sql, String key) {
        return pool.preparedQuery(sql).execute(Tuple.of(key)).await().atMost(Duration.ofSeconds(10)).iterator()
                .next().getLong(0);
    }

    /** The trigger log's cart reminders of the customer: what the job decided, sent or not. */
    private List<Row> cartHistory(String customer) {
        List<Row> rows = new java.util.ArrayList<>();
        pool.preparedQuery("SELECT outcome, dedupe_key FROM trigger_log WHERE customer_id = $1"
                        + " AND trigger_type = 'cart-reminder'").execute(Tuple.of(customer))
                .await().atMost(Duration.ofSeconds(10)).forEach(rows::add);
        return rows;
    }

    private static List<TriggerFired> triggers(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> r.key().equals(customer))
                .map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(),
                        Map.of())).event().data())
                .filter(TriggerFired.class::isInstance).map(TriggerFired.class::cast).toList();
    }

    private static TriggerFired awaitTrigger(String customer, TriggerType type) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> triggers(customer).stream().anyMatch(t -> t.triggerType() == type));
        return triggers(customer).stream().filter(t -> t.triggerType() == type).findFirst().orElseThrow();
    }

    private static List<TriggerFired> cartTriggers(String customer) {
        return triggers(customer).stream().filter(t -> t.triggerType() == TriggerType.CART_REMINDER).toList();
    }
}
