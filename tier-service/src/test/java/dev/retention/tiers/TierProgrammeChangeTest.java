package dev.retention.tiers;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.testsupport.Api;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.tiers.application.MarkDueOnProgrammeChange;
import dev.retention.tiers.application.ReevaluateDueTiers;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 32's proof for tier-service, on the real broker and database: tier thresholds changed at run time (a
 * {@code programme.published} record on {@code retention.programme}) move customers at the next evaluation, including
 * customers whose next evaluation the old rules put months away.
 */
@QuarkusTest
@TestProfile(TierProgrammeChangeTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class TierProgrammeChangeTest {

    /** The broker is shared by the test JVM: a programme of this class's own keeps its versions from the others. */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "tier-programme-change-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME);
        }
    }

    private static KafkaTestClient kafka;

    @Inject
    MovableClock clock;
    @Inject
    MarkDueOnProgrammeChange markDue;
    @Inject
    ReevaluateDueTiers reevaluateDue;
    @Inject
    ProgrammeVersions versions;
    @Inject
    Pool pool;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        kafka.createTopics(3, Topics.ORDERS, Topics.LOYALTY_TIER_CHANGES);
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
    void aLoweredSilverThresholdPublishedAtRunTimeMovesEveryCustomerItReachesAtTheNextEvaluation() {
        List<String> reached = List.of(newCustomer(), newCustomer(), newCustomer(), newCustomer());
        String short_ = newCustomer();
        String silver = newCustomer();
        Instant placedAt = clock.instant().minus(Duration.ofDays(1));
        reached.forEach(customer -> order(customer, "400.00", placedAt));
        order(short_, "250.00", placedAt);
        order(silver, "600.00", placedAt);
        reached.forEach(customer -> awaitTier(customer, "bronze"));
        awaitTier(short_, "bronze");
        awaitTier(silver, "silver");
        // Under the old rules nothing is due for these customers until their order leaves the window.
        assertThat(nextEvaluation(reached.get(0))).isAfter(clock.instant().plus(Duration.ofDays(300)));

        Instant effectiveFrom = clock.instant().plus(Duration.ofHours(1));
        publish(version(1, clock.instant().minus(Duration.ofDays(30)), ProgrammeJson.initial()),
                version(2, effectiveFrom, withSilverAt(ProgrammeJson.initial(), "300.00")));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 2);

        runJob();
        assertThat(tier(reached.get(0))).as("version 2 is not in force yet").isEqualTo("bronze");

        clock.advance(Duration.ofHours(2));
        runJob();

        reached.forEach(customer -> assertThat(tier(customer)).isEqualTo("silver"));
        assertThat(tier(short_)).isEqualTo("bronze");
        assertThat(tier(silver)).isEqualTo("silver");
        await().atMost(Duration.ofSeconds(30)).until(() -> changes(reached.get(3)).size() == 2);
        TierChanged up = changes(reached.get(3)).get(1);
        assertThat(up.direction()).isEqualTo(TierChanged.Direction.UP);
        assertThat(up.reason()).contains("300.00");
        assertThat(changes(silver)).hasSize(1);
        assertThat(markDue.run().await().atMost(Duration.ofSeconds(30)))
                .as("the change has reached everybody once: a second run marks nobody").isZero();
    }

    /** What the scheduled job does (TierJobs): mark everybody due when the version in force changed, then evaluate. */
    private void runJob() {
        markDue.run().chain(reevaluateDue::reevaluateAll).await().atMost(Duration.ofSeconds(60));
    }

    private static ProgrammeVersion version(int number, Instant effectiveFrom, ProgrammeDocument document) {
        return new ProgrammeVersion(number, effectiveFrom, effectiveFrom.minus(Duration.ofMinutes(5)), "admin",
                "test", null, document);
    }

    private static void publish(ProgrammeVersion... published) {
        String programme = OwnProgramme.PROGRAMME;
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(published))));
    }

    private static ProgrammeDocument withSilverAt(ProgrammeDocument d, String threshold) {
        List<ProgrammeDocument.Tier> levels = d.tiers().levels().stream()
                .map(t -> t.name().equals("silver")
                        ? new ProgrammeDocument.Tier(t.name(), new BigDecimal(threshold), t.multiplier(), t.benefits())
                        : t)
                .toList();
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(),
                new ProgrammeDocument.Tiers(levels, d.tiers().window(), d.tiers().grace(), d.tiers().riskNotice()),
                d.earning(), d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }

    private static void order(String customer, String value, Instant placedAt) {
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).placedAt(placedAt).line("sku", 1, value)
                .build());
    }

    private static String tier(String customer) {
        return Api.admin().get("/customers/{id}/tier", customer).then().statusCode(200).extract().jsonPath()
                .getString("tier");
    }

    private static void awaitTier(String customer, String expected) {
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var response = Api.admin().get("/customers/{id}/tier", customer);
            return response.statusCode() == 200 && expected.equals(response.jsonPath().getString("tier"));
        });
    }

    private Instant nextEvaluation(String customer) {
        Row row = pool.preparedQuery("SELECT next_evaluation_at FROM tier_status WHERE customer_id = $1")
                .execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(30)).iterator().next();
        return row.getOffsetDateTime("next_evaluation_at").toInstant();
    }

    private static List<TierChanged> changes(String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.LOYALTY_TIER_CHANGES).stream().filter(r -> customer.equals(r.key()))
                .map(r -> ((DecodeResult.Decoded) decoder.decode(Topics.LOYALTY_TIER_CHANGES, r.key(), r.value(),
                        Map.of())).event().data())
                .filter(TierChanged.class::isInstance).map(TierChanged.class::cast)
                .toList();
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
