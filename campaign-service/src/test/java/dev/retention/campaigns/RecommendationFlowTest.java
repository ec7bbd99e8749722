package dev.retention.campaigns;

import dev.retention.campaigns.messaging.CampaignJobs;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Products and orders in through the real broker, into the real database: a win-back, a birthday offer and a
 * review's thanks carry the items bought together with what the customer bought (known, in stock, bought together
 * often enough), and a replayed order, under its own event id or a new one, counts nothing again.
 */
@QuarkusTest
@TestProfile(RecommendationFlowTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class RecommendationFlowTest {

    /** A programme of this class's own, with recommendations from a support of 3. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "recommendation-flow-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    CampaignJobs jobs;
    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS, Topics.PRODUCTS, Topics.CARTS);
        kafka.createTopics(1, Topics.RETENTION_PROGRAMME);
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
    void aWinBackAndAReviewsThanksRecommendWhatOthersBoughtWithItAndAReplayCountsNothing() {
        publishProgramme();
        String p = "r" + UUID.randomUUID().toString().substring(0, 8);
        String serum = p + "-serum";
        String cream = p + "-cream";
        String mask = p + "-mask";
        String soldOut = p + "-sold-out";
        String rare = p + "-rare";
        String unknown = p + "-unknown";
        for (String sku : List.of(serum, cream, mask, rare)) {
            kafka.publish(Topics.PRODUCTS, TestEvents.productUpdated(sku));
        }
        kafka.publish(Topics.PRODUCTS, TestEvents.productUpdated(soldOut, false, Instant.now()));
        // Other shoppers: the serum with the cream 4 times, with the mask 3 times, with the sold-out item 5 times,
        // with an item no product.updated named 6 times, with the rare item twice (below the support of 3).
        EventEnvelope<OrderPlaced> replayed = null;
        int shopper = 0;
        for (Map.Entry<String, Integer> partner : Map.of(cream, 4, mask, 3, soldOut, 5, unknown, 6, rare, 2)
                .entrySet()) {
            for (int i = 0; i < partner.getValue(); i++) {
                EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(p + "-shopper-" + shopper++)
                        .line(serum, 1, "19.90").line(partner.getKey(), 1, "9.90").build();
                kafka.publish(Topics.ORDERS, order);
                if (partner.getKey().equals(cream) && replayed == null) {
                    replayed = order;
                }
            }
        }
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        EventEnvelope<OrderPlaced> own = TestEvents.orderPlaced(customer).line(serum, 1, "19.90").build();
        kafka.publish(Topics.ORDERS, own);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                support(serum, cream) == 4 && support(serum, mask) == 3 && support(serum, soldOut) == 5
                        && support(serum, unknown) == 6 && support(serum, rare) == 2 && bought(customer, serum));

        EventEnvelope<OrderPlaced> again = replayed;
        // The same order again, under its own id and under a new one, then a marker order of the same shopper
        // (same key, same partition, read after them).
        kafka.publish(Topics.ORDERS, again);
        kafka.publish(Topics.ORDERS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE,
                again.time(), again.subject(), again.data()));
        String marker = p + "-marker";
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(again.subject()).line(marker, 1, "1.00").build());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> bought(again.subject(), marker));
        assertThat(support(serum, cream)).isEqualTo(4);
        assertThat(support(cream, serum)).isEqualTo(4);

        kafka.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(customer, own.data().orderId(), 5));
        TriggerFired thanks = awaitTrigger(customer, TriggerType.REVIEW_THANKS);
        assertThat(thanks.recommendations()).containsExactly(cream, mask);

        // A birthday offer recommends the same way, from what the customer bought (its birthday in 5 days).
        LocalDate birthDate = LocalDate.now(ZoneOffset.UTC).plusDays(5).minusYears(30);
        if (birthDate.getMonthValue() == 2 && birthDate.getDayOfMonth() == 29) {
            birthDate = birthDate.minusDays(1); // no 29 February in most years: the offer would move
        }
        String birthdayCustomer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(birthdayCustomer, birthDate));
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(birthdayCustomer).line(serum, 1, "19.90").build());
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() ->
                bought(birthdayCustomer, serum) && birthDateKnown(birthdayCustomer));
        jobs.birthdays().await().atMost(Duration.ofSeconds(30));
        TriggerFired birthday = awaitTrigger(birthdayCustomer, TriggerType.BIRTHDAY_OFFER);
        assertThat(birthday.recommendations()).containsExactly(cream, mask);
        assertThat(birthday.voucher()).isNotNull();

        clock.advance(Duration.ofDays(61));
        jobs.winBacks().await().atMost(Duration.ofSeconds(30));
        TriggerFired winBack = awaitTrigger(customer, TriggerType.WIN_BACK);
        assertThat(winBack.recommendations()).containsExactly(cream, mask);
        assertThat(winBack.voucher()).isNotNull();

        // A cart reminder recommends from the cart's items, for a shopper who has bought nothing yet; the cream in
        // the cart is not recommended again.
        String shopperWithCart = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(shopperWithCart, null));
        String cart = p + "-cart";
        kafka.publish(Topics.CARTS, TestEvents.cartUpdated(shopperWithCart, cart, clock.instant(),
                serum, "1", "19.90", cream, "1", "9.90"));
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> pool
                .preparedQuery("SELECT count(*) FROM campaign_cart WHERE cart_id = $1").execute(Tuple.of(cart))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0) == 1);
        clock.advance(Duration.ofHours(5));
        jobs.cartReminders().await().atMost(Duration.ofSeconds(30));
        TriggerFired reminder = awaitTrigger(shopperWithCart, TriggerType.CART_REMINDER);
        assertThat(reminder.cart().cartId()).isEqualTo(cart);
        assertThat(reminder.recommendations()).containsExactly(mask);
    }

    private void publishProgramme() {
        ProgrammeDocument document = ProgrammeDrafts.withHoldout(ProgrammeJson.initial(), BigDecimal.ZERO)
                .withRecommendations(new ProgrammeDocument.Recommendations(true, 3, 10, 10));
        ProgrammeVersion version = new ProgrammeVersion(1, Instant.now().minus(Duration.ofDays(30)),
                Instant.now().minus(Duration.ofDays(31)), "admin", "test", null, document);
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of("programme-" + OwnProgramme.PROGRAMME,
                "/test/programme", Instant.now(), OwnProgramme.PROGRAMME,
                new ProgrammePublished(OwnProgramme.PROGRAMME, List.of(version))));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 1);
    }

    private static TriggerFired awaitTrigger(String customer, TriggerType type) {
        EventDecoder decoder = new EventDecoder();
        return await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(300)).until(() ->
                kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> r.key().equals(customer))
                        .map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(),
                                Map.of())).event().data())
                        .filter(data -> data instanceof TriggerFired fired && fired.triggerType() == type)
                        .map(TriggerFired.class::cast).findFirst(), java.util.Optional::isPresent).orElseThrow();
    }

    private int support(String sku, String partner) {
        var rows = pool.preparedQuery("SELECT support FROM bought_together WHERE sku = $1 AND partner = $2")
                .execute(Tuple.of(sku, partner)).await().atMost(Duration.ofSeconds(10));
        return rows.size() == 0 ? 0 : rows.iterator().next().getInteger(0);
    }

    private boolean birthDateKnown(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM campaign_customer WHERE customer_id = $1"
                        + " AND birth_date IS NOT NULL AND birthday_offer_at IS NOT NULL")
                .execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0) == 1;
    }

    private boolean bought(String customer, String sku) {
        return pool.preparedQuery("SELECT count(*) FROM customer_purchase WHERE customer_id = $1 AND sku = $2")
                .execute(Tuple.of(customer, sku)).await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getLong(0) == 1;
    }
}
