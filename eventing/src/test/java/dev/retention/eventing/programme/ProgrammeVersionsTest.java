package dev.retention.eventing.programme;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeDocument;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.DeadLetters;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kit's programme consumer on the real broker and database: accept, keep, refuse. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ProgrammeVersionsTest {

    private static final Instant T0 = Instant.parse("2026-03-01T00:00:00Z");
    private static final String DLQ = Topics.deadLetterTopic(Topics.RETENTION_PROGRAMME, "eventing-test");
    private static KafkaTestClient kafka;

    @Inject
    ProgrammeVersions versions;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    @Order(1)
    void aPublishedTimelineIsStoredAndJudgesEachTimeByTheVersionThenInForce() {
        assertThat(versions.inForceAt(T0.plusSeconds(10))).isEmpty();

        kafka.publish(Topics.RETENTION_PROGRAMME, published("default", 2, ProgrammeDocument.Stacking.SUM));

        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 2);
        assertThat(versions.inForceAt(T0.minusSeconds(1))).isEmpty();
        assertThat(versions.inForceAt(T0).orElseThrow().version()).isEqualTo(1);
        assertThat(versions.inForceAt(T0.plus(Duration.ofDays(1)).minusNanos(1)).orElseThrow().version()).isEqualTo(1);
        assertThat(versions.inForceAt(T0.plus(Duration.ofDays(1))).orElseThrow().version()).isEqualTo(2);
        assertThat(storedVersionCount()).isEqualTo(2);
        // What a restart reads back before any channel runs.
        assertThat(versions.stored().await().indefinitely()).contains(versions.timeline());
        assertThat(gauge("retention.programme.version.in.force")).isEqualTo(2);
    }

    @Test
    @Order(2)
    void anOlderRecordAndAnotherProgrammesRecordChangeNothing() {
        kafka.publish(Topics.RETENTION_PROGRAMME, published("default", 1, ProgrammeDocument.Stacking.SUM));
        kafka.publish(Topics.RETENTION_PROGRAMME, published("outlet-shop", 3, ProgrammeDocument.Stacking.SUM));
        // A marker after them: once it is in force, the two before it have been handled.
        kafka.publish(Topics.RETENTION_PROGRAMME, published("default", 3, ProgrammeDocument.Stacking.SUM));

        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 3);
        assertThat(versions.timeline().programmeId()).isEqualTo("default");
        assertThat(storedVersionCount()).isEqualTo(3);
    }

    @Test
    @Order(3)
    void aTimelineTheServiceCannotApplyIsDeadLetteredAndTheVersionsInForceStay() {
        kafka.publish(Topics.RETENTION_PROGRAMME, published("default", 4, ProgrammeDocument.Stacking.FIRST_MATCH));

        // The relay creates the dead-letter topic with its first record.
        await().atMost(Duration.ofSeconds(30)).until(() -> kafka.admin().listTopics().names().get().contains(DLQ));
        List<ConsumerRecord<String, byte[]>> deadLetters = kafka.readFromBeginning(DLQ, 1, Duration.ofSeconds(30));
        assertThat(deadLetters).hasSize(1);
        String detail = new String(deadLetters.get(0).headers().lastHeader(DeadLetters.DETAIL).value(),
                StandardCharsets.UTF_8);
        assertThat(detail).contains("version 4").contains("FIRST_MATCH");
        assertThat(versions.timeline().versions()).hasSize(3);
        assertThat(storedVersionCount()).isEqualTo(3);
        assertThat(gauge("retention.programme.versions.rejected")).isEqualTo(1);

        kafka.publish(Topics.RETENTION_PROGRAMME, published("default", 4, ProgrammeDocument.Stacking.HIGHEST));
        await().atMost(Duration.ofSeconds(30)).until(() -> versions.timeline().versions().size() == 4);
        assertThat(gauge("retention.programme.versions.rejected")).isEqualTo(0);
    }

    /** Versions 1..count, a day apart from T0; the last one with the given stacking. */
    private static EventEnvelope<ProgrammePublished> published(String programmeId, int count,
                                                               ProgrammeDocument.Stacking lastStacking) {
        ProgrammeDocument initial = ProgrammeJson.initial();
        List<ProgrammeVersion> all = new ArrayList<>();
        for (int n = 1; n <= count; n++) {
            ProgrammeDocument document = n < count ? initial : withStacking(initial, lastStacking);
            Instant effectiveFrom = T0.plus(Duration.ofDays(n - 1));
            all.add(new ProgrammeVersion(n, effectiveFrom, effectiveFrom.minusSeconds(60), "admin-1", "test " + n,
                    null, document));
        }
        return EventEnvelope.of(programmeId + "-" + count + "-" + lastStacking + "-" + System.nanoTime(),
                "/programme-service", T0, programmeId, new ProgrammePublished(programmeId, all));
    }

    private static ProgrammeDocument withStacking(ProgrammeDocument document, ProgrammeDocument.Stacking stacking) {
        return new ProgrammeDocument(document.timeZone(), document.reportingCurrency(), document.currencies(),
                document.tiers(), new ProgrammeDocument.Earning(stacking, document.earning().rules()),
                document.bonuses(), document.redemption(), document.pending(), document.expiry(),
                document.triggers(), document.guards());
    }

    private long storedVersionCount() {
        return pool.query("SELECT coalesce(max(version_count), 0) FROM eventing_programme WHERE programme_id = 'default'")
                .execute().await().indefinitely().iterator().next().getLong(0);
    }

    private double gauge(String name) {
        return registry.get(name).gauge().value();
    }
}
