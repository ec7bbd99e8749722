package dev.retention.platform;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.local.LocalPlatform;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The simulation is exact. A recorded shop's history (registrations, orders with categories and channels, tier
 * upgrades, reviews, late parcels) runs on platform A under version 1; a draft (a double-points window, a category
 * rule, a first-order bonus, a lower silver threshold, another multiplier and bonuses, a dearer delay apology, a
 * holdout group) is simulated
 * over it there. Then a fresh platform B publishes the same draft effective from the period's start and the same
 * events are replayed: every figure A's simulation predicted for the draft is what B's services produced.
 *
 * <p>The history's business times lie in a period that starts minutes after the test does, so that B can still publish
 * the draft effective from the period's start (a version never takes effect in the past) after A has run; nothing
 * waits for that time: every service applies the version in force at each event's own time.
 */
class ProgrammeSimulationTest {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final int CUSTOMERS = 36;

    @Test
    void everyFigureTheSimulationPredictsIsWhatTheServicesProduceWhenTheDraftIsInForce() throws Exception {
        Instant periodStart = Instant.now().plus(Duration.ofMinutes(12)).truncatedTo(ChronoUnit.MINUTES);
        Instant periodEnd = periodStart.plus(Duration.ofHours(12));
        String run = UUID.randomUUID().toString().substring(0, 6);
        List<Recorded> history = recordedShop(periodStart, run);

        JsonNode predicted;
        JsonNode draft;
        try (RunningPlatform a = platform("simulation-a")) {
            awaitVersions(a, 1);
            replay(a, history);
            draft = draft(inForce(a), periodStart);
            predicted = simulate(a, draft, periodStart, periodEnd);

            // The in-force side is what A's services stored; the draft side differs where the draft does.
            assertThat(predicted.at("/points/inForce/issued").asLong())
                    .isEqualTo(pointsIssued(a, periodStart, periodEnd));
            assertThat(predicted.at("/points/draft/issued").asLong())
                    .isGreaterThan(predicted.at("/points/inForce/issued").asLong());
            assertThat(predicted.at("/points/draft/byRule").has("double-points-window")).isTrue();
            assertThat(predicted.at("/points/inForce/byRule").has("double-points-window")).isFalse();
            assertThat(predicted.at("/points/customersAffected").asLong()).isPositive();
            assertThat(predicted.at("/campaigns/inForce/byTrigger/delay-apology/vouchers").asLong()).isPositive();
            assertThat(predicted.path("topChanges")).isNotEmpty();
            assertThat(predicted.at("/tiers/draft/distribution/silver").asLong())
                    .as("more silver customers from 150.00 than from 500.00")
                    .isGreaterThan(predicted.at("/tiers/inForce/distribution/silver").asLong());
            long heldOut = 0;
            for (JsonNode trigger : predicted.at("/campaigns/draft/byTrigger")) {
                heldOut += trigger.path("heldOut").asLong();
            }
            assertThat(heldOut).as("the draft's holdout group, by trigger: %s", predicted.at("/campaigns/draft/byTrigger"))
                    .isPositive();
            System.out.println("simulated over the recorded shop: " + predicted);
        }

        try (RunningPlatform b = platform("simulation-b")) {
            awaitVersions(b, 1);
            publish(b, draft, periodStart);
            awaitVersions(b, 2);
            replay(b, history);
            JsonNode produced = simulate(b, draft, periodStart, periodEnd);

            // On B the draft was in force over the whole period: its in-force side is what B's services did.
            assertThat(produced.at("/points/inForce/issued").asLong())
                    .isEqualTo(pointsIssued(b, periodStart, periodEnd));
            assertThat(produced.at("/points/inForce")).isEqualTo(predicted.at("/points/draft"));
            assertThat(produced.at("/points/orders")).isEqualTo(predicted.at("/points/orders"));
            assertThat(produced.at("/tiers/inForce")).isEqualTo(predicted.at("/tiers/draft"));
            assertThat(produced.at("/campaigns/inForce")).isEqualTo(predicted.at("/campaigns/draft"));
            assertThat(produced.at("/campaigns/inForce/byTrigger/delay-apology/vouchers").asLong())
                    .isEqualTo(vouchers(b, "delay-apology", periodStart, periodEnd));
            // And customer by customer: those A's simulation listed earn on B what it predicted for them.
            for (JsonNode customer : predicted.path("topChanges")) {
                if (customer.hasNonNull("pointsDraft")) {
                    assertThat(pointsOf(b, customer.path("customerId").asText(), periodStart, periodEnd))
                            .as(customer.toString()).isEqualTo(customer.path("pointsDraft").asLong());
                }
            }
        }
    }

    private static RunningPlatform platform(String label) throws Exception {
        return new RunningPlatform(ROOT, label, List.of(),
                Map.of("programme-service", Map.of("PROGRAMME_ACTIVATION_DELAY", "2s")), null);
    }

    /** One event of the recorded history and the topic it came on. */
    private record Recorded(String topic, EventEnvelope<?> event) {
    }

    /**
     * A small shop's history, the same events (ids too) for both platforms: customers register (some with marketing
     * consent), order tea and kitchen goods through the web shop and the app, some spend enough for silver, some
     * review their first order, some parcels are reported late.
     */
    private static List<Recorded> recordedShop(Instant start, String run) {
        List<Recorded> history = new ArrayList<>();
        for (int i = 0; i < CUSTOMERS; i++) {
            String customer = "sim-" + run + "-" + i;
            Instant registered = start.plus(Duration.ofMinutes(i));
            history.add(new Recorded(Topics.CUSTOMERS, EventEnvelope.of(UUID.randomUUID().toString(), TestEvents.SOURCE,
                    registered, customer, new CustomerRegistered(registered, customer + "@example.com", "Sam",
                            "Doe", "en-GB", "Europe/Berlin", LocalDate.of(1990, 1 + i % 12, 1 + i % 28),
                            new ChannelConsents(i % 4 != 3, false, false, false), null))));
            int orders = 1 + i % 4;
            for (int k = 0; k < orders; k++) {
                Instant placed = registered.plus(Duration.ofMinutes(20 + 150L * k + 7L * i));
                var order = TestEvents.orderPlaced(customer).placedAt(placed)
                        .channel(i % 3 == 0 ? "app" : "web")
                        .currency(i % 5 == 4 ? "GBP" : "EUR")
                        .line("tea-" + (k % 3), 1 + (i + k) % 3, "12.50", "tea");
                if ((i + k) % 2 == 0) {
                    order.line("kettle", 1, "39.90", "kitchen");
                }
                if (i % 6 == 0 && k == 0) {
                    order.line("espresso-machine", 1, "549.00", "kitchen"); // silver from this order on
                }
                EventEnvelope<?> placedEvent = order.build();
                history.add(new Recorded(Topics.ORDERS, placedEvent));
                String orderId = ((dev.retention.contracts.events.OrderPlaced) placedEvent.data()).orderId();
                if (k == 0 && i % 2 == 0) {
                    Instant reviewed = placed.plus(Duration.ofMinutes(30));
                    history.add(new Recorded(Topics.REVIEWS, EventEnvelope.of(UUID.randomUUID().toString(),
                            TestEvents.SOURCE, reviewed, customer, new ReviewSubmitted("rev-" + orderId, orderId,
                                    "tea-0", 4 + i % 2, true, reviewed))));
                }
                if (k == 1 && i % 3 == 1) {
                    Instant dispatched = placed.plus(Duration.ofMinutes(15));
                    LocalDate promised = dispatched.atZone(ZoneOffset.UTC).toLocalDate().plusDays(2);
                    history.add(new Recorded(Topics.SHIPMENTS, EventEnvelope.of(UUID.randomUUID().toString(),
                            TestEvents.SOURCE, dispatched, customer, new ShipmentDispatched("shp-" + orderId, orderId,
                                    "DHL", "JJD" + i, dispatched, promised))));
                    Instant late = dispatched.plus(Duration.ofMinutes(40));
                    history.add(new Recorded(Topics.SHIPMENTS, EventEnvelope.of(UUID.randomUUID().toString(),
                            TestEvents.SOURCE, late, customer, new ShipmentDelayed("shp-" + orderId, orderId,
                                    promised.plusDays(3), "carrier backlog"))));
                }
            }
        }
        return history;
    }

    /**
     * The version in force with: a double-points window over the period's second quarter, 2 more points per euro on
     * tea capped at 30 per order, 50 points for a first order through the app, silver from 150.00 (not 500.00) and at
     * 2.5x, other sign-up and review bonuses, a 15.00 delay apology and a holdout group of a quarter of the customers.
     * The lower threshold moves customers: tier-service's answer re-rates their orders in points-service's and gives
     * their tier-up triggers in campaign-service's.
     */
    private static JsonNode draft(JsonNode inForce, Instant start) {
        ObjectNode document = inForce.deepCopy();
        LocalPlatform.withDoublePointsWeekend(document, start.plus(Duration.ofHours(3)), start.plus(Duration.ofHours(6)));
        ArrayNode rules = (ArrayNode) document.path("earning").path("rules");
        ((ObjectNode) rules.get(rules.size() - 1)).put("id", "double-points-window");
        ObjectNode tea = rules.addObject().put("id", "tea-bonus").put("name", "Tea lovers");
        tea.putObject("when").putArray("categories").add("tea");
        tea.putObject("effect").put("type", "POINTS_PER_UNIT").put("value", "2");
        tea.putObject("caps").put("perOrder", 30);
        ObjectNode firstInApp = rules.addObject().put("id", "first-order-in-app").put("name", "Welcome to the app");
        firstInApp.putObject("when").put("firstOrder", true).putArray("channels").add("app");
        firstInApp.putObject("effect").put("type", "FIXED_PER_ORDER").put("value", "50");
        for (JsonNode level : document.path("tiers").path("levels")) {
            if (level.path("name").asText().equals("silver")) {
                ((ObjectNode) level).put("multiplier", "2.5").put("threshold", "150.00");
            }
        }
        ((ObjectNode) document.path("bonuses")).put("signup", 150).put("review", 75);
        ObjectNode apology = (ObjectNode) document.path("triggers").path("delayApology").path("voucher").path("value");
        List<String> currencies = new ArrayList<>();
        apology.fieldNames().forEachRemaining(currencies::add);
        currencies.forEach(currency -> apology.put(currency, "15.00"));
        ((ObjectNode) document.path("guards")).put("holdoutShare", "0.25");
        return document;
    }

    private static JsonNode inForce(RunningPlatform platform) throws Exception {
        return body(platform.call("programme-service", "GET", "/programmes/default", null, "marketer"), 200)
                .path("inForce").path("document");
    }

    private static String createDraft(RunningPlatform platform, JsonNode document) throws Exception {
        ObjectNode draft = JSON.createObjectNode().put("note", "what-if");
        draft.set("document", document);
        return body(platform.call("programme-service", "POST", "/programmes/default/drafts",
                JSON.writeValueAsString(draft), "marketer"), 201).path("id").asText();
    }

    private static JsonNode simulate(RunningPlatform platform, JsonNode document, Instant from, Instant to)
            throws Exception {
        String draftId = createDraft(platform, document);
        ObjectNode period = JSON.createObjectNode().put("from", from.toString()).put("to", to.toString())
                .put("top", 100);
        return body(platform.call("programme-service", "POST", "/drafts/" + draftId + "/simulations",
                JSON.writeValueAsString(period), "marketer"), 200);
    }

    private static void publish(RunningPlatform platform, JsonNode document, Instant effectiveFrom) throws Exception {
        String draftId = createDraft(platform, document);
        ObjectNode publication = JSON.createObjectNode().put("effectiveFrom", effectiveFrom.toString())
                .put("reason", "the simulated draft, from the period's start");
        assertThat(body(platform.call("programme-service", "POST", "/drafts/" + draftId + "/publication",
                JSON.writeValueAsString(publication), "admin"), 201).path("version").asInt()).isEqualTo(2);
    }

    /** Until points-, tier- and campaign-service have each accepted {@code count} versions. */
    private static void awaitVersions(RunningPlatform platform, int count) {
        await().atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(500)).untilAsserted(() -> {
            for (String service : List.of("points-service", "tier-service", "campaign-service")) {
                try (Connection connection = platform.connect(service);
                     var sql = connection.createStatement();
                     ResultSet row = sql.executeQuery("SELECT max(version_count) FROM eventing_programme")) {
                    assertThat(row.next() ? row.getInt(1) : 0).as(service).isEqualTo(count);
                }
            }
        });
    }

    private static void replay(RunningPlatform platform, List<Recorded> history) throws Exception {
        try (KafkaTestClient kafka = new KafkaTestClient(platform.broker.bootstrapServers())) {
            for (Recorded recorded : history) {
                kafka.publishAll(recorded.topic(), List.of(recorded.event()));
            }
        }
        platform.awaitQuiet(Duration.ofSeconds(180));
    }

    /** Points the ledger gave in the period: earnings and bonuses (positive entries caused by the shop's events). */
    private static long pointsIssued(RunningPlatform platform, Instant from, Instant to) throws Exception {
        return sum(platform, "points-service", "SELECT coalesce(sum(points), 0) FROM points_ledger WHERE points > 0 "
                + "AND actor IS NULL AND occurred_at >= ? AND occurred_at < ?", from, to);
    }

    private static long pointsOf(RunningPlatform platform, String customer, Instant from, Instant to) throws Exception {
        try (Connection connection = platform.connect("points-service");
             PreparedStatement sql = connection.prepareStatement("SELECT coalesce(sum(points), 0) FROM points_ledger "
                     + "WHERE customer_id = ? AND points > 0 AND actor IS NULL AND occurred_at >= ? "
                     + "AND occurred_at < ?")) {
            sql.setString(1, customer);
            sql.setObject(2, from.atOffset(ZoneOffset.UTC));
            sql.setObject(3, to.atOffset(ZoneOffset.UTC));
            try (ResultSet row = sql.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static long vouchers(RunningPlatform platform, String trigger, Instant from, Instant to) throws Exception {
        return sum(platform, "campaign-service", "SELECT count(*) FROM voucher v JOIN trigger_log t USING (trigger_id) "
                + "WHERE t.trigger_type = '" + trigger + "' AND t.business_time >= ? AND t.business_time < ?", from, to);
    }

    private static long sum(RunningPlatform platform, String service, String query, Instant from, Instant to)
            throws Exception {
        try (Connection connection = platform.connect(service);
             PreparedStatement sql = connection.prepareStatement(query)) {
            sql.setObject(1, from.atOffset(ZoneOffset.UTC));
            sql.setObject(2, to.atOffset(ZoneOffset.UTC));
            try (ResultSet row = sql.executeQuery()) {
                row.next();
                return row.getLong(1);
            }
        }
    }

    private static JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }
}
