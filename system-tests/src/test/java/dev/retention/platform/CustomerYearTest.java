package dev.retention.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.local.LocalPlatform;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * A customer's year on the running platform, its months shortened to seconds by configuration (return window 20 s,
 * review request 5 s after delivery, win-back 40 s after the last order, jobs every 2 s; the caps that a year spreads
 * out are raised): registration with birth date and consent, a late parcel, a delivery and its review, a large order
 * that lifts the tier, an order at the new tier's rate, a return, then silence. Every ledger entry, tier change,
 * trigger, voucher and mail (content included) is checked on the output topics, the APIs and the mails caught.
 */
class CustomerYearTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static RunningPlatform platform;

    @BeforeAll
    static void startThePlatform() throws Exception {
        Path root = Path.of("..").toAbsolutePath().normalize();
        // A year in minutes: the programme's periods in seconds, as version 1 (every service applies it from
        // programme-service's start on) and as each service's baseline before it.
        Path programme = LocalPlatform.initialProgramme(root.resolve("system-tests/target/customer-year"), document -> {
            ((ObjectNode) document.path("pending")).put("returnWindow", "PT20S");
            ((ObjectNode) document.path("bonuses")).put("birthday", 150);
            ((ObjectNode) document.path("triggers").path("reviewRequest")).put("after", "PT5S");
            ((ObjectNode) document.path("triggers").path("winBack").path("steps").path(0)).put("after", "PT40S");
            ((ObjectNode) document.path("guards")).put("frequencyCap", 10);
        });
        platform = new RunningPlatform(root, Map.of(
                "points-service", Map.of("RETENTION_POINTS_RETURN_WINDOW", "20s", "RETENTION_POINTS_JOBS_EVERY", "2s",
                        "RETENTION_POINTS_BIRTHDAY_BONUS", "150"),
                "campaign-service", Map.of("RETENTION_CAMPAIGNS_JOBS_EVERY", "2s",
                        "RETENTION_CAMPAIGNS_REVIEW_REQUEST_AFTER", "5s",
                        "RETENTION_CAMPAIGNS_WIN_BACK_STEPS_0__AFTER", "40s",
                        "RETENTION_CAMPAIGNS_GUARDS_FREQUENCY_CAP", "10"),
                "notification-service", Map.of("RETENTION_NOTIFICATIONS_FREQUENCY_CAP_MAX", "10"),
                "programme-service", Map.of("RETENTION_PROGRAMME_INITIAL_DOCUMENT", programme.toString())));
    }

    @AfterAll
    static void stopThePlatform() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    void aCustomersYearYieldsEveryLedgerEntryTierTriggerVoucherAndMailItCallsFor() throws Exception {
        String jana = "jana-" + UUID.randomUUID().toString().substring(0, 8);
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        try (KafkaTestClient shop = new KafkaTestClient(platform.broker.bootstrapServers())) {
            // Sign-up, her birthday in three days: the birthday offer goes out at once, with the birthday bonus.
            shop.publish(Topics.CUSTOMERS, TestEvents.envelope(jana, new CustomerRegistered(Instant.now(),
                    jana + "@example.com", "Jana", "Novak", "de-DE", "Europe/Berlin", today.plusDays(3).minusYears(29),
                    new ChannelConsents(true, false, false, false), null)));
            awaitTriggers(shop, jana, t -> t.contains("birthday-offer"));

            // The first order; its parcel is late, then delivered, then reviewed.
            shop.publish(Topics.ORDERS, TestEvents.orderPlaced(jana).orderId(jana + "-1")
                    .line("espresso-machine", 1, "120.00").build());
            awaitTriggers(shop, jana, t -> t.contains("referral-invitation"));
            shop.publish(Topics.SHIPMENTS, TestEvents.shipmentDispatched(jana, jana + "-1", today.plusDays(1)));
            shop.publish(Topics.SHIPMENTS, TestEvents.shipmentDelayed(jana, jana + "-1", today.plusDays(4)));
            awaitTriggers(shop, jana, t -> t.contains("delay-apology"));
            shop.publish(Topics.SHIPMENTS, TestEvents.shipmentDelivered(jana, jana + "-1"));
            awaitTriggers(shop, jana, t -> t.contains("review-request"));
            shop.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(jana, jana + "-1", 5));
            awaitTriggers(shop, jana, t -> t.contains("review-thanks"));

            // A large order lifts her to silver; once points-service knows, the next order earns double.
            shop.publish(Topics.ORDERS, TestEvents.orderPlaced(jana).orderId(jana + "-2").line("grinder", 1, "450.00")
                    .build());
            awaitTriggers(shop, jana, t -> t.contains("tier-up"));
            awaitUntil(() -> count("points-service", "SELECT count(*) FROM customer_tier WHERE customer_id = ? "
                    + "AND tier = 'silver'", jana) == 1, "points-service knows the tier");
            shop.publish(Topics.ORDERS, TestEvents.orderPlaced(jana).orderId(jana + "-3").line("beans", 2, "15.00")
                    .build());
            awaitUntil(() -> points(shop, jana).stream().anyMatch(p -> p.points() == 60), "the third order's points");
            shop.publish(Topics.ORDERS, TestEvents.orderReturned(jana, jana + "-3", "30.00", "EUR"));

            // Then nothing more: after the (shortened) inactivity the win-back offer comes.
            awaitTriggers(shop, jana, t -> t.contains("win-back"));
            awaitUntil(() -> mails(jana).size() == 7 && points(shop, jana).size() == 8, "every mail and entry");

            assertThat(points(shop, jana)).extracting(PointsChanged::kind, PointsChanged::rule, PointsChanged::points)
                    .containsExactlyInAnyOrder(
                            tuple(PointsChanged.Kind.BONUS, "signup.bonus", 100L),
                            tuple(PointsChanged.Kind.BONUS, "birthday.bonus", 150L),
                            tuple(PointsChanged.Kind.EARNED_PENDING, "order.earning", 120L),
                            tuple(PointsChanged.Kind.RELEASED, "order.release", 120L),
                            tuple(PointsChanged.Kind.BONUS, "review.bonus", 50L),
                            tuple(PointsChanged.Kind.EARNED_PENDING, "order.earning", 450L), // bronze when placed
                            tuple(PointsChanged.Kind.EARNED_PENDING, "order.earning", 60L), // silver: 2 × 30
                            tuple(PointsChanged.Kind.REVERSED, "order.return.reversal", -60L));
            JsonNode balance = JSON.readTree(platform.api("points-service", "/customers/" + jana + "/points"));
            assertThat(List.of(balance.get("available").asLong(), balance.get("pending").asLong()))
                    .containsExactly(100L + 150 + 120 + 50, 450L); // the grinder was never delivered

            JsonNode tier = JSON.readTree(platform.api("tier-service", "/customers/" + jana + "/tier"));
            assertThat(tier.get("tier").asText()).isEqualTo("silver");
            assertThat(new BigDecimal(tier.at("/qualifyingSpend/amount").asText())).isEqualByComparingTo("570.00");
            assertThat(events(shop, Topics.LOYALTY_TIER_CHANGES, jana)).map(TierChanged.class::cast)
                    .extracting(TierChanged::fromTier, TierChanged::toTier, TierChanged::direction)
                    .containsExactly(tuple(null, "bronze", TierChanged.Direction.INITIAL),
                            tuple("bronze", "silver", TierChanged.Direction.UP));

            List<TriggerFired> triggers = events(shop, Topics.RETENTION_TRIGGERS, jana).stream()
                    .map(TriggerFired.class::cast).toList();
            assertThat(triggers).extracting(t -> t.triggerType().wireName()).containsExactlyInAnyOrder(
                    "birthday-offer", "referral-invitation", "delay-apology", "review-request", "review-thanks",
                    "tier-up", "win-back");
            TriggerFired apology = trigger(triggers, "delay-apology");
            assertThat(apology.attributes()).containsEntry("firstTimeCustomer", "true");
            List<String> codes = triggers.stream().filter(t -> t.voucher() != null).map(t -> t.voucher().code())
                    .toList();
            assertThat(codes).hasSize(3).anyMatch(c -> c.startsWith("BDAY-")).anyMatch(c -> c.startsWith("SORRY-"));
            JsonNode vouchers = JSON.readTree(platform.api("campaign-service", "/customers/" + jana + "/vouchers"));
            List<String> held = new ArrayList<>();
            vouchers.findValues("code").forEach(code -> held.add(code.asText()));
            assertThat(held).containsExactlyInAnyOrderElementsOf(codes);

            List<String> mails = new ArrayList<>();
            for (RunningPlatform.Mail mail : mails(jana)) {
                mails.add(mail.subjectAndText());
            }
            assertThat(mails).allSatisfy(mail -> assertThat(mail).contains("Hallo Jana"));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Alles Gute zum Geburtstag")
                    .contains(trigger(triggers, "birthday-offer").voucher().code()));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Entschuldigung: Ihr Paket verspätet sich")
                    .contains(apology.voucher().code(), jana + "-1"));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Teilen Sie die Freude")
                    .contains(trigger(triggers, "referral-invitation").attributes().get("referralCode")));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Wie gefällt Ihnen Ihre Bestellung?"));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Danke für Ihre Bewertung"));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Willkommen in der Stufe"));
            assertThat(mails).anySatisfy(m -> assertThat(m).startsWith("Wir vermissen Sie")
                    .contains(trigger(triggers, "win-back").voucher().code()));
            assertThat(events(shop, Topics.RETENTION_NOTIFICATIONS, jana)).hasSize(7)
                    .allSatisfy(o -> assertThat(((NotificationOutcome) o).outcome())
                            .isEqualTo(NotificationOutcome.Outcome.SENT));
        }
    }

    private static TriggerFired trigger(List<TriggerFired> triggers, String type) {
        return triggers.stream().filter(t -> t.triggerType().wireName().equals(type)).findFirst().orElseThrow();
    }

    private static List<PointsChanged> points(KafkaTestClient reader, String customer) {
        return events(reader, Topics.LOYALTY_POINTS, customer).stream().filter(PointsChanged.class::isInstance)
                .map(PointsChanged.class::cast).toList();
    }

    private static List<Object> events(KafkaTestClient reader, String topic, String customer) {
        return RunningPlatform.distinctEvents(reader, topic).values().stream()
                .filter(e -> customer.equals(e.subject())).<Object>map(EventEnvelope::data).toList();
    }

    private static void awaitTriggers(KafkaTestClient reader, String customer, Predicate<List<String>> condition)
            throws Exception {
        awaitUntil(() -> condition.test(events(reader, Topics.RETENTION_TRIGGERS, customer).stream()
                .filter(TriggerFired.class::isInstance)
                .map(t -> ((TriggerFired) t).triggerType().wireName()).toList()), "triggers");
    }

    private static List<RunningPlatform.Mail> mails(String customer) throws Exception {
        return platform.mails().stream().filter(m -> m.to().contains(customer + "@example.com")).toList();
    }

    private static long count(String service, String sql, String parameter) throws Exception {
        try (Connection connection = platform.connect(service);
             PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Check check, String what) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(500);
        }
    }
}
