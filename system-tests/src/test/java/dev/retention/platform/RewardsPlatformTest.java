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
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The rewards catalogue on the packaged platform: a redemption is a saga across points- and campaign-service through
 * events, so stock, codes and balances must hold with requests racing each other and with either service killed
 * (SIGKILL) in the middle of a burst. Every customer is registered and holds the 100 points of the signup bonus; every
 * reward costs 100, so a customer redeems at most once and a refused or compensated customer's balance is 100.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class RewardsPlatformTest {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final String RUN = UUID.randomUUID().toString().substring(0, 6);
    private static RunningPlatform platform;
    /** Codes of the vouchers issued in the race, by customer: the checkout uses one. */
    private static final Map<String, String> VOUCHERS = new ConcurrentHashMap<>();

    @BeforeAll
    static void start() throws Exception {
        platform = new RunningPlatform(Path.of("..").toAbsolutePath().normalize(), "rewards", List.of(),
                Map.of("programme-service", Map.of("PROGRAMME_ACTIVATION_DELAY", "2s")), null);
        publishTheCatalogue();
    }

    @AfterAll
    static void stop() throws Exception {
        if (platform != null) {
            platform.close();
        }
    }

    @Test
    @Order(1)
    void fiftyCustomersRaceForTenRewardsAndExactlyTenAreIssued() throws Exception {
        List<String> customers = register("race", 50);

        Map<String, Integer> statuses = redeemAtOnce(customers, "ten-off", false);

        assertThat(statuses.values().stream().filter(s -> s == 201).count()).as("redemptions taken").isEqualTo(10);
        assertThat(statuses.values()).as("the others are refused: sold out").containsOnly(201, 409);
        platform.awaitQuiet(Duration.ofSeconds(90));
        Set<String> winners = statuses.entrySet().stream().filter(e -> e.getValue() == 201).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertTheSagaSettled(customers, winners, Set.of(), "ten-off");
        issuedVouchers(customers).forEach(VOUCHERS::put);
        assertThat(VOUCHERS.keySet()).isEqualTo(winners);
        assertThat(Set.copyOf(VOUCHERS.values())).as("no code twice").hasSize(10);
    }

    @Test
    @Order(2)
    void aPartnerPoolHandsEachCodeOutOnceAndAnEmptyPoolGivesThePointsBack() throws Exception {
        List<String> codes = IntStream.range(0, 5).mapToObj(i -> "TICKET-" + RUN + "-" + i).toList();
        String csv = "code\n" + String.join("\n", codes) + "\n" + codes.get(0) + "\n";
        HttpResponse<String> upload = platform.call("campaign-service", "POST", "/code-pools/tickets/codes", csv,
                "text/csv", "platform-admin", "admin", Map.of());
        assertThat(upload.statusCode()).as(upload.body()).isIn(200, 201);
        assertThat(JSON.readTree(upload.body()).path("added").asInt()).isEqualTo(5);
        List<String> customers = register("fans", 8);

        Map<String, Integer> statuses = redeemAtOnce(customers, "tickets", false);

        assertThat(statuses.values()).as("points-service knows no pool: every request is taken").containsOnly(201);
        platform.awaitQuiet(Duration.ofSeconds(90));
        Map<String, EventEnvelope<?>> triggers = events(Topics.RETENTION_TRIGGERS, customers);
        Map<String, String> partnerCodes = triggers.values().stream()
                .filter(e -> e.data() instanceof TriggerFired fired && fired.triggerType() == TriggerType.REWARD)
                .collect(Collectors.toMap(EventEnvelope::subject,
                        e -> ((TriggerFired) e.data()).reward().partnerCode()));
        assertThat(partnerCodes).hasSize(5);
        assertThat(Set.copyOf(partnerCodes.values())).as("each code once").containsExactlyInAnyOrderElementsOf(codes);
        List<RewardIssueFailed> failed = triggers.values().stream()
                .filter(e -> e.data() instanceof RewardIssueFailed).map(e -> (RewardIssueFailed) e.data()).toList();
        assertThat(failed).hasSize(3).allSatisfy(f -> assertThat(f.reason())
                .isEqualTo(RewardIssueFailed.Reason.POOL_EMPTY));
        Set<String> refunded = triggers.values().stream().filter(e -> e.data() instanceof RewardIssueFailed)
                .map(EventEnvelope::subject).collect(Collectors.toSet());
        assertTheSagaSettled(customers, partnerCodes.keySet(), refunded, "tickets");
        // The customer's message carries the code.
        String winner = partnerCodes.keySet().iterator().next();
        await().atMost(Duration.ofSeconds(60)).until(() -> {
            for (RunningPlatform.Mail mail : platform.mails()) {
                if (mail.to().contains(winner + "@example.com")
                        && mail.subjectAndText().contains(partnerCodes.get(winner))) {
                    return true;
                }
            }
            return false;
        });
    }

    @Test
    @Order(3)
    void killingEitherServiceInTheMiddleOfABurstKeepsStockCodesAndBalancesExact() throws Exception {
        List<String> customers = register("burst", 40);
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        int answeredBeforePointsKill;
        int answeredBeforeCampaignKill;
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (String customer : customers) {
                requests.add(pool.submit(() -> statuses.put(customer, redeemUntilAnswered(customer, "burst"))));
            }
            await().atMost(Duration.ofSeconds(30)).until(() -> statuses.size() >= 5);
            answeredBeforePointsKill = statuses.size();
            platform.service("points-service").kill();
            platform.service("points-service").start();
            // campaign-service dies while it issues what the restarted points-service takes.
            await().atMost(Duration.ofSeconds(60)).until(() -> statuses.size() >= 15);
            answeredBeforeCampaignKill = statuses.size();
            platform.service("campaign-service").kill();
            platform.service("campaign-service").start();
            for (Future<?> request : requests) {
                request.get();
            }
        } finally {
            pool.shutdownNow();
        }
        System.out.printf("rewards burst: %d of 40 redemptions answered when points-service was killed, %d when "
                + "campaign-service was%n", answeredBeforePointsKill, answeredBeforeCampaignKill);

        assertThat(answeredBeforePointsKill).as("points-service killed in the middle of the burst").isLessThan(40);
        assertThat(answeredBeforeCampaignKill).as("campaign-service killed in the middle of the burst").isLessThan(40);
        assertThat(statuses).hasSize(40);
        assertThat(statuses.values().stream().filter(s -> s == 201 || s == 200).count()).as("taken").isEqualTo(30);
        platform.awaitQuiet(Duration.ofSeconds(120));
        Set<String> winners = statuses.entrySet().stream().filter(e -> e.getValue() < 300).map(Map.Entry::getKey)
                .collect(Collectors.toSet());
        assertTheSagaSettled(customers, winners, Set.of(), "burst");
        assertThat(Set.copyOf(issuedVouchers(customers).values())).as("no code twice").hasSize(30);
    }

    @Test
    @Order(4)
    void aRewardsVoucherIsUsedOnceAtCheckoutAndASecondUseIsRejectedWithTheReason() throws Exception {
        Map.Entry<String, String> winner = VOUCHERS.entrySet().iterator().next();
        String customer = winner.getKey();
        var first = TestEvents.orderPlaced(customer).line("kettle", 1, "49.90").voucher(winner.getValue().toLowerCase())
                .build();
        var second = TestEvents.orderPlaced(customer).line("mug", 2, "12.50").voucher(winner.getValue()).build();
        try (KafkaTestClient kafka = new KafkaTestClient(platform.broker.bootstrapServers())) {
            kafka.publish(Topics.ORDERS, first);
            kafka.publish(Topics.ORDERS, second);
            kafka.publish(Topics.ORDERS, first); // redelivered: nothing new
        }
        platform.awaitQuiet(Duration.ofSeconds(60));

        Collection<EventEnvelope<?>> triggers = events(Topics.RETENTION_TRIGGERS, List.of(customer)).values();
        List<VoucherRedeemed> redeemed = triggers.stream().filter(e -> e.data() instanceof VoucherRedeemed)
                .map(e -> (VoucherRedeemed) e.data()).toList();
        List<VoucherRejected> rejected = triggers.stream().filter(e -> e.data() instanceof VoucherRejected)
                .map(e -> (VoucherRejected) e.data()).toList();
        assertThat(redeemed).singleElement().satisfies(r -> {
            assertThat(r.orderId()).isEqualTo(first.data().orderId());
            assertThat(r.source()).isEqualTo(VoucherRedeemed.Source.ORDER);
            assertThat(r.triggerType()).isEqualTo(TriggerType.REWARD);
            assertThat(r.discount().amount()).isEqualByComparingTo("10.00");
        });
        assertThat(rejected).singleElement().satisfies(r -> {
            assertThat(r.orderId()).isEqualTo(second.data().orderId());
            assertThat(r.reason()).isEqualTo(VoucherRejected.Reason.ALREADY_REDEEMED);
            assertThat(r.redeemedOrderId()).isEqualTo(first.data().orderId());
        });
    }

    /**
     * After the saga: every winner's points debited once and their reward issued once; every refunded customer's
     * points debited and given back; everyone else untouched. Stock taken equals the rewards issued.
     */
    private static void assertTheSagaSettled(List<String> customers, Set<String> issued, Set<String> refunded,
                                             String rewardId) throws Exception {
        Map<String, EventEnvelope<?>> points = events(Topics.LOYALTY_POINTS, customers);
        Map<String, EventEnvelope<?>> triggers = events(Topics.RETENTION_TRIGGERS, customers);
        Map<String, Long> requested = count(points.values(), RewardRedemptionRequested.class);
        Map<String, Long> debits = points.values().stream()
                .filter(e -> e.data() instanceof PointsChanged changed && changed.kind() == PointsChanged.Kind.REDEEMED)
                .collect(Collectors.groupingBy(EventEnvelope::subject, Collectors.counting()));
        Map<String, Long> refunds = points.values().stream()
                .filter(e -> e.data() instanceof PointsChanged changed && changed.kind() == PointsChanged.Kind.REFUNDED)
                .collect(Collectors.groupingBy(EventEnvelope::subject, Collectors.counting()));
        Map<String, Long> issues = count(triggers.values(), RewardIssued.class);
        Map<String, Long> rewardTriggers = triggers.values().stream()
                .filter(e -> e.data() instanceof TriggerFired fired && fired.triggerType() == TriggerType.REWARD)
                .collect(Collectors.groupingBy(EventEnvelope::subject, Collectors.counting()));
        for (String customer : customers) {
            boolean taken = issued.contains(customer) || refunded.contains(customer);
            long expectedBalance = issued.contains(customer) ? 0 : 100;
            assertThat(available(customer)).as("balance of %s", customer).isEqualTo(expectedBalance);
            assertThat(requested.getOrDefault(customer, 0L)).as("requests of %s", customer).isEqualTo(taken ? 1 : 0);
            assertThat(debits.getOrDefault(customer, 0L)).as("debits of %s", customer).isEqualTo(taken ? 1 : 0);
            assertThat(refunds.getOrDefault(customer, 0L)).as("refunds of %s", customer)
                    .isEqualTo(refunded.contains(customer) ? 1 : 0);
            assertThat(issues.getOrDefault(customer, 0L)).as("issues of %s", customer)
                    .isEqualTo(issued.contains(customer) ? 1 : 0);
            assertThat(rewardTriggers.getOrDefault(customer, 0L)).as("reward messages of %s", customer)
                    .isEqualTo(issued.contains(customer) ? 1 : 0);
        }
        try (var connection = platform.connect("points-service");
             var query = connection.prepareStatement("SELECT taken FROM reward_stock WHERE reward_id = ?")) {
            query.setString(1, rewardId);
            try (var result = query.executeQuery()) {
                assertThat(result.next()).isTrue();
                assertThat(result.getLong(1)).as("stock taken of %s", rewardId).isEqualTo(issued.size());
            }
        }
    }

    private static Map<String, Long> count(Collection<EventEnvelope<?>> events, Class<?> type) {
        return events.stream().filter(e -> type.isInstance(e.data()))
                .collect(Collectors.groupingBy(EventEnvelope::subject, Collectors.counting()));
    }

    /** The voucher codes of the customers' reward triggers, by customer. */
    private static Map<String, String> issuedVouchers(List<String> customers) {
        Map<String, String> codes = new HashMap<>();
        events(Topics.RETENTION_TRIGGERS, customers).values().stream()
                .filter(e -> e.data() instanceof TriggerFired fired && fired.triggerType() == TriggerType.REWARD
                        && fired.voucher() != null)
                .forEach(e -> codes.put(e.subject(), ((TriggerFired) e.data()).voucher().code()));
        return codes;
    }

    /** The customers' distinct events on the topic, by id. */
    private static Map<String, EventEnvelope<?>> events(String topic, Collection<String> customers) {
        Set<String> wanted = Set.copyOf(customers);
        try (KafkaTestClient reader = new KafkaTestClient(platform.broker.bootstrapServers())) {
            return RunningPlatform.distinctEvents(reader, topic).entrySet().stream()
                    .filter(e -> wanted.contains(e.getValue().subject()))
                    .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue, (a, b) -> a,
                            java.util.LinkedHashMap::new));
        }
    }

    /** Registers the customers (each gets the 100 points of the signup bonus) and waits until they have them. */
    private static List<String> register(String label, int count) throws Exception {
        List<String> customers = IntStream.range(0, count).mapToObj(i -> label + "-" + RUN + "-" + i).toList();
        try (KafkaTestClient kafka = new KafkaTestClient(platform.broker.bootstrapServers())) {
            kafka.publishAll(Topics.CUSTOMERS, customers.stream().<EventEnvelope<?>>map(c -> TestEvents.envelope(c,
                    new CustomerRegistered(Instant.now(), c + "@example.com", "Kim", "Lee", "en-GB", "Europe/London",
                            null, new ChannelConsents(true, false, false, false), null))).toList());
        }
        platform.awaitQuiet(Duration.ofSeconds(60));
        for (String customer : customers) {
            assertThat(available(customer)).as("signup bonus of %s", customer).isEqualTo(100);
        }
        return customers;
    }

    /** Every customer redeems the reward at the same moment (a thread each); the status each got. */
    private static Map<String, Integer> redeemAtOnce(List<String> customers, String rewardId, boolean retry)
            throws Exception {
        Map<String, Integer> statuses = new ConcurrentHashMap<>();
        ExecutorService pool = Executors.newFixedThreadPool(customers.size());
        try {
            List<Future<?>> requests = new ArrayList<>();
            for (String customer : customers) {
                requests.add(pool.submit(() -> {
                    HttpResponse<String> response = redeem(customer, rewardId, "key-" + customer);
                    statuses.put(customer, response.statusCode());
                    return null;
                }));
            }
            for (Future<?> request : requests) {
                request.get();
            }
        } finally {
            pool.shutdownNow();
        }
        return statuses;
    }

    /**
     * What a storefront does when points-service is away: the same request with the same Idempotency-Key until it is
     * answered (a request whose answer was lost to the kill is answered from what it did).
     */
    private static int redeemUntilAnswered(String customer, String rewardId) {
        long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
        while (System.nanoTime() < deadline) {
            try {
                HttpResponse<String> response = redeem(customer, rewardId, "key-" + customer);
                if (response.statusCode() < 500) {
                    return response.statusCode();
                }
            } catch (Exception serviceAway) {
                // connection refused or reset while it restarts
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new AssertionError("no answer to " + customer + "'s redemption within 120 s");
    }

    private static HttpResponse<String> redeem(String customer, String rewardId, String key) throws Exception {
        return platform.call("points-service", "POST", "/customers/" + customer + "/rewards/" + rewardId
                + "/redemptions", "{\"currency\":\"EUR\"}", "application/json", customer, "storefront",
                Map.of("Idempotency-Key", key));
    }

    private static long available(String customer) throws Exception {
        HttpResponse<String> response = platform.call("points-service", "GET", "/customers/" + customer + "/points",
                null, "admin");
        return response.statusCode() == 200 ? JSON.readTree(response.body()).path("available").asLong() : -1;
    }

    /** The version in force plus three rewards of 100 points: one of stock 10, a partner reward, one of stock 30. */
    private static void publishTheCatalogue() throws Exception {
        JsonNode programme = await().atMost(Duration.ofSeconds(30)).until(() -> body(platform.call("programme-service",
                "GET", "/programmes/default", null, "marketer"), 200), node -> node.path("inForce").isObject());
        ObjectNode document = programme.path("inForce").path("document").deepCopy();
        ArrayNode rewards = document.putArray("rewards");
        ObjectNode tenOff = rewards.addObject().put("id", "ten-off").put("name", "10 EUR off").put("price", 100)
                .put("stock", 10);
        tenOff.putObject("voucher").put("validFor", "P30D").putObject("value").put("EUR", "10.00");
        ObjectNode tickets = rewards.addObject().put("id", "tickets").put("name", "Concert tickets")
                .put("price", 100);
        tickets.putObject("partner").put("poolId", "tickets").put("text", "Show this code at the box office.");
        ObjectNode burst = rewards.addObject().put("id", "burst").put("name", "Free shipping").put("price", 100)
                .put("stock", 30);
        burst.putObject("voucher").put("validFor", "P30D").put("freeShipping", true);
        ObjectNode draft = JSON.createObjectNode().put("note", "rewards");
        draft.set("document", document);
        String draftId = body(platform.call("programme-service", "POST", "/programmes/default/drafts",
                JSON.writeValueAsString(draft), "marketer"), 201).path("id").asText();
        JsonNode version = body(platform.call("programme-service", "POST", "/drafts/" + draftId + "/publication",
                "{\"reason\":\"rewards catalogue\"}", "admin"), 201);
        Instant effectiveFrom = Instant.parse(version.path("effectiveFrom").asText());
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), effectiveFrom).toMillis()) + 2000);
    }

    private static JsonNode body(HttpResponse<String> response, int expected) throws Exception {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expected);
        return JSON.readTree(response.body());
    }
}
