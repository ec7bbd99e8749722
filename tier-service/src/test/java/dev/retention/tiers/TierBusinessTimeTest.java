package dev.retention.tiers;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammeVersions;
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
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 32: a customer is evaluated under the programme version in force at the business time (the order's
 * {@code placedAt}, a due evaluation's due time), never at the service's clock; on the real broker and database.
 */
@QuarkusTest
@TestProfile(TierBusinessTimeTest.OwnProgramme.class)
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class TierBusinessTimeTest {

    /**
     * The broker is shared by the test JVM: a programme of this class's own keeps its versions from the others. The
     * test runs the jobs itself: a scheduled run between the orders and the first assertions would already have
     * re-evaluated the customer at the raised threshold (CI caught that once).
     */
    public static class OwnProgramme implements QuarkusTestProfile {
        static final String PROGRAMME = "tier-business-time-test";

        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("retention.programme.id", PROGRAMME, "retention.tiers.jobs.every", "off");
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

    @Test
    void anOrderPlacedBeforeAThresholdChangeButProcessedAfterItMovesTheCustomerByTheOldLadder() {
        Instant raised = clock.instant().minus(Duration.ofHours(1)).truncatedTo(ChronoUnit.MICROS);
        publish(version(1, clock.instant().minus(Duration.ofDays(30)), ProgrammeJson.initial()),
                version(2, raised, withSilverAt(ProgrammeJson.initial(), "800.00")));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 2);
        String before = newCustomer();
        String after = newCustomer();
        Instant placedBefore = raised.minus(Duration.ofHours(1));

        // Both processed now, when silver takes 800.00: only the business time tells them apart.
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(before).placedAt(placedBefore).line("sku", 1, "600.00")
                .build());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(after).placedAt(raised.plus(Duration.ofMinutes(5)))
                .line("sku", 1, "600.00").build());
        await().atMost(Duration.ofSeconds(30)).until(() -> history(before).size() == 1 && history(after).size() == 1);

        assertThat(history(before)).containsExactly("INITIAL silver at " + placedBefore.plus(Duration.ofNanos(1000)));
        assertThat(history(after)).singleElement().asString().startsWith("INITIAL bronze");
        // The version that raised silver is due for the customer at its effectiveFrom: spend 600.00 is under 800.00
        // from then on, so the grace period starts there (not at the job's clock) and the tier is kept meanwhile.
        Row status = status(before);
        assertThat(status.getOffsetDateTime("next_evaluation_at").toInstant()).isEqualTo(raised);
        markDue.run().chain(reevaluateDue::reevaluateAll).await().atMost(Duration.ofSeconds(60));
        status = status(before);
        assertThat(status.getString("tier")).isEqualTo("silver");
        assertThat(status.getOffsetDateTime("below_since").toInstant()).isEqualTo(raised);
        assertThat(history(before)).hasSize(1);
    }

    private List<String> history(String customer) {
        List<String> entries = new ArrayList<>();
        pool.preparedQuery("SELECT direction, to_tier, effective_at FROM tier_history WHERE customer_id = $1 "
                        + "ORDER BY seq").execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(30))
                .forEach(row -> entries.add(row.getString("direction") + " " + row.getString("to_tier") + " at "
                        + row.getOffsetDateTime("effective_at").toInstant()));
        return entries;
    }

    private Row status(String customer) {
        return pool.preparedQuery("SELECT tier, below_since, next_evaluation_at FROM tier_status "
                + "WHERE customer_id = $1").execute(Tuple.of(customer)).await().atMost(Duration.ofSeconds(30))
                .iterator().next();
    }

    static ProgrammeVersion version(int number, Instant effectiveFrom, ProgrammeDocument document) {
        return new ProgrammeVersion(number, effectiveFrom, effectiveFrom.minus(Duration.ofMinutes(5)), "admin",
                "test", null, document);
    }

    private static void publish(ProgrammeVersion... published) {
        String programme = OwnProgramme.PROGRAMME;
        kafka.publish(Topics.RETENTION_PROGRAMME, EventEnvelope.of(UUID.randomUUID().toString(), "/test/programme",
                Instant.now(), programme, new ProgrammePublished(programme, List.of(published))));
    }

    static ProgrammeDocument withSilverAt(ProgrammeDocument d, String threshold) {
        List<ProgrammeDocument.Tier> levels = d.tiers().levels().stream()
                .map(t -> t.name().equals("silver")
                        ? new ProgrammeDocument.Tier(t.name(), new BigDecimal(threshold), t.multiplier(), t.benefits())
                        : t)
                .toList();
        return new ProgrammeDocument(d.timeZone(), d.reportingCurrency(), d.currencies(),
                new ProgrammeDocument.Tiers(levels, d.tiers().window(), d.tiers().grace(), d.tiers().riskNotice()),
                d.earning(), d.bonuses(), d.redemption(), d.pending(), d.expiry(), d.triggers(), d.guards());
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
