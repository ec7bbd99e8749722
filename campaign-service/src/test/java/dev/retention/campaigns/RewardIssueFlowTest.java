package dev.retention.campaigns;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.PartnerReward;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The campaign step of the redemption saga on the real broker and database: reward.redemption-requested in,
 * trigger.fired (type reward) and reward.issued, or reward.issue-failed, out; once per redemption.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class RewardIssueFlowTest {

    static final Duration VALID = Duration.ofDays(60);
    static final Reward TEN_OFF = new Reward("ten-off", "Ten euros off", "10 EUR off an order", 1000, null, null,
            null, null, new Offer(Map.of("EUR", new BigDecimal("10.00")), null, null, false,
            Map.of("EUR", new BigDecimal("30.00")), VALID), null);

    private static KafkaTestClient kafka;

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

    @Test
    void aVoucherRewardIsIssuedOnceThoughRequestedAgainUnderAnotherEventId() {
        String customer = "c-" + UUID.randomUUID();
        Instant requestedAt = Instant.now().truncatedTo(ChronoUnit.MILLIS).minus(Duration.ofMinutes(5));
        RewardRedemptionRequested request = redemption(TEN_OFF, "EUR", requestedAt);
        EventEnvelope<RewardRedemptionRequested> first = TestEvents.envelope(customer, request);
        kafka.publish(Topics.LOYALTY_POINTS, first);
        RewardIssued issued = awaitEvent(customer, RewardIssued.class, request.redemptionId());

        // The same redemption again: redelivered, and re-sent under another event id (a retried saga step).
        kafka.publish(Topics.LOYALTY_POINTS, first);
        kafka.publish(Topics.LOYALTY_POINTS, TestEvents.envelope(customer, request));
        RewardRedemptionRequested marker = redemption(TEN_OFF, "EUR", requestedAt);
        kafka.publish(Topics.LOYALTY_POINTS, TestEvents.envelope(customer, marker));
        awaitEvent(customer, RewardIssued.class, marker.redemptionId());

        List<EventData> out = output(customer);
        List<TriggerFired> fired = of(out, TriggerFired.class).stream()
                .filter(t -> t.reward().redemptionId().equals(request.redemptionId())).toList();
        assertThat(fired).hasSize(1);
        assertThat(of(out, RewardIssued.class)).filteredOn(i -> i.redemptionId().equals(request.redemptionId()))
                .hasSize(1);
        assertThat(of(out, RewardIssueFailed.class)).isEmpty();

        TriggerFired trigger = fired.get(0);
        assertThat(trigger.triggerType()).isEqualTo(TriggerType.REWARD);
        assertThat(trigger.triggerId()).isEqualTo(issued.triggerId());
        assertThat(trigger.sourceEventId()).isEqualTo(first.id());
        assertThat(trigger.reward().rewardId()).isEqualTo("ten-off");
        assertThat(trigger.reward().name()).isEqualTo("Ten euros off");
        assertThat(trigger.reward().points()).isEqualTo(1000);
        assertThat(trigger.reward().partnerCode()).isNull();
        assertThat(trigger.voucher().code()).startsWith("REWARD-").isEqualTo(issued.voucherCode());
        assertThat(trigger.voucher().value()).isEqualTo(Money.of("10.00", "EUR"));
        assertThat(trigger.voucher().minimumOrderValue()).isEqualTo(Money.of("30.00", "EUR"));
        assertThat(trigger.voucher().expiresAt()).isEqualTo(requestedAt.plus(VALID));
        assertThat(issued.kind()).isEqualTo(Reward.Kind.FIXED_VOUCHER);

        // The voucher is the customer's like any other, and the trigger is in their history.
        List<Object> codes = Api.admin().get("/customers/{id}/vouchers", customer).then().statusCode(200)
                .extract().jsonPath().getList("code");
        assertThat(codes).hasSize(2).contains(issued.voucherCode());
        List<Object> types = Api.admin().get("/customers/{id}/triggers", customer).then().statusCode(200)
                .extract().jsonPath().getList("triggerType");
        assertThat(types).containsExactly("reward", "reward");
    }

    @Test
    void partnerRewardsClaimDistinctCodesUntilThePoolIsEmpty() {
        String poolId = "pool-" + UUID.randomUUID();
        Reward tickets = partner(poolId);
        List<String> codes = List.of("TICKET-0001", "TICKET-0002", "TICKET-0003");
        stock(poolId, codes);
        List<String> customers = IntStream.range(0, 4).mapToObj(i -> "c-" + UUID.randomUUID()).toList();
        Map<String, RewardRedemptionRequested> requests = new java.util.LinkedHashMap<>();
        for (String customer : customers) {
            requests.put(customer, redemption(tickets, null, Instant.now()));
            kafka.publish(Topics.LOYALTY_POINTS, TestEvents.envelope(customer, requests.get(customer)));
        }

        Set<String> handedOut = new HashSet<>();
        List<RewardIssueFailed> failed = new ArrayList<>();
        await().atMost(Duration.ofSeconds(30)).until(() -> customers.stream().allMatch(c -> !output(c).isEmpty()
                && (!of(output(c), RewardIssued.class).isEmpty() || !of(output(c), RewardIssueFailed.class).isEmpty())));
        for (String customer : customers) {
            List<EventData> out = output(customer);
            for (TriggerFired fired : of(out, TriggerFired.class)) {
                assertThat(fired.voucher()).isNull();
                assertThat(fired.reward().partnerText()).isEqualTo("Show the code at the box office");
                assertThat(handedOut.add(fired.reward().partnerCode())).isTrue();
                assertThat(of(out, RewardIssued.class)).singleElement()
                        .satisfies(i -> assertThat(i.voucherCode()).isNull())
                        .satisfies(i -> assertThat(i.kind()).isEqualTo(Reward.Kind.PARTNER));
            }
            failed.addAll(of(out, RewardIssueFailed.class));
        }
        assertThat(handedOut).containsExactlyInAnyOrderElementsOf(codes);
        assertThat(failed).singleElement().satisfies(f -> {
            assertThat(f.reason()).isEqualTo(RewardIssueFailed.Reason.POOL_EMPTY);
            assertThat(f.rewardId()).isEqualTo("tickets");
        });
    }

    @Test
    void anErasedCustomersRedemptionFailsAndIssuesNothing() {
        String customer = "c-" + UUID.randomUUID();
        kafka.publish(Topics.CUSTOMERS, TestEvents.customerRegistered(customer, null));
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerErased(Instant.now())));
        await().atMost(Duration.ofSeconds(30)).until(() -> erased(customer));
        RewardRedemptionRequested request = redemption(TEN_OFF, "EUR", Instant.now());
        kafka.publish(Topics.LOYALTY_POINTS, TestEvents.envelope(customer, request));

        RewardIssueFailed failed = awaitEvent(customer, RewardIssueFailed.class, request.redemptionId());
        assertThat(failed.reason()).isEqualTo(RewardIssueFailed.Reason.CUSTOMER_ERASED);
        assertThat(failed.detail()).doesNotContain("@");
        List<EventData> out = output(customer);
        assertThat(of(out, TriggerFired.class)).noneMatch(t -> t.triggerType() == TriggerType.REWARD);
        assertThat(of(out, RewardIssued.class)).isEmpty();
    }

    /**
     * Twenty redemptions of a pool of fifteen published at once: customers on three partitions, read by the two
     * consumers of the service (concurrency 2), several in a batch. Fifteen codes handed out, each once; five failed.
     */
    @Test
    void concurrentClaimsNeverHandACodeOutTwice() {
        String poolId = "pool-" + UUID.randomUUID();
        Reward tickets = partner(poolId);
        List<String> codes = IntStream.range(0, 15).mapToObj(i -> "CONC-" + i + "-" + poolId.substring(5, 13))
                .toList();
        stock(poolId, codes);
        List<String> customers = IntStream.range(0, 20).mapToObj(i -> "c-" + UUID.randomUUID()).toList();
        kafka.publishAll(Topics.LOYALTY_POINTS, customers.stream()
                .map(c -> TestEvents.envelope(c, redemption(tickets, null, Instant.now()))).toList());

        await().atMost(Duration.ofSeconds(60)).until(() -> decided(customers) == 20);
        List<String> handedOut = new ArrayList<>();
        int failures = 0;
        for (String customer : customers) {
            List<EventData> out = output(customer);
            of(out, TriggerFired.class).forEach(t -> handedOut.add(t.reward().partnerCode()));
            failures += of(out, RewardIssueFailed.class).size();
        }
        assertThat(handedOut).hasSize(15).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(codes);
        assertThat(failures).isEqualTo(5);
    }

    // ---- helpers ----

    static Reward partner(String poolId) {
        return new Reward("tickets", "Concert tickets", "two tickets", 2000, null, null, null, null, null,
                new PartnerReward(poolId, "Show the code at the box office", Duration.ofDays(30)));
    }

    static RewardRedemptionRequested redemption(Reward reward, String currency, Instant requestedAt) {
        return new RewardRedemptionRequested(UUID.randomUUID().toString(), reward.id(),
                UUID.randomUUID().toString(), reward.price(), 1, reward, currency, requestedAt);
    }

    /** Codes uploaded through the API. */
    void stock(String poolId, List<String> codes) {
        Api.admin().contentType("text/csv").body("code\n" + String.join("\n", codes))
                .post("/code-pools/{poolId}/codes", poolId).then().statusCode(200);
    }

    boolean erased(String customer) {
        var rows = pool.preparedQuery("SELECT erased FROM campaign_customer WHERE customer_id = $1")
                .execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(10));
        return rows.iterator().hasNext() && rows.iterator().next().getBoolean("erased");
    }

    long decided(List<String> customers) {
        return pool.preparedQuery("SELECT count(*) FROM reward_issue WHERE customer_id = ANY($1::text[])")
                .execute(Tuple.tuple().addArrayOfString(customers.toArray(String[]::new)))
                .await().atMost(Duration.ofSeconds(10)).iterator().next().getLong(0);
    }

    /** Everything campaign-service published for the customer on retention.triggers, in order. */
    static List<EventData> output(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> (EventData) ((DecodeResult.Decoded) decoder.decode(Topics.RETENTION_TRIGGERS, r.key(),
                        r.value(), Map.of())).event().data())
                .toList();
    }

    static <T extends EventData> List<T> of(List<EventData> events, Class<T> type) {
        return events.stream().filter(type::isInstance).map(type::cast).toList();
    }

    static <T extends EventData> T awaitEvent(String customer, Class<T> type, String redemptionId) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> find(customer, type, redemptionId) != null);
        return find(customer, type, redemptionId);
    }

    private static <T extends EventData> T find(String customer, Class<T> type, String redemptionId) {
        return of(output(customer), type).stream().filter(e -> redemptionId.equals(switch (e) {
            case RewardIssued i -> i.redemptionId();
            case RewardIssueFailed f -> f.redemptionId();
            case TriggerFired t -> t.reward() == null ? null : t.reward().redemptionId();
            default -> null;
        })).findFirst().orElse(null);
    }
}
