package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TierChanged;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierStanding;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** The API's read use case against the real database, with tiers given by the consumer's use case. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class ReadTiersTest {

    @Inject
    ReadTiers read;
    @Inject
    ApplyOrderEvents applyOrderEvents;
    @Inject
    Pool pool;

    @Test
    void theLadderComesLowestFirstInTheBaseCurrency() {
        assertThat(read.tiers()).extracting(Tier::name).containsExactly("bronze", "silver", "gold");
        assertThat(read.baseCurrency()).isEqualTo("EUR");
    }

    @Test
    void aCustomerWithoutTierHasNoStanding() {
        assertThat(standing(newCustomer())).isEmpty();
    }

    @Test
    void theStandingGivesSpendWhatIsMissingAndUntilWhenTheTierIsSafe() {
        String customer = newCustomer();
        Instant placedAt = Instant.now().minus(10, ChronoUnit.DAYS).truncatedTo(ChronoUnit.MICROS);
        apply(TestEvents.orderPlaced(customer).placedAt(placedAt).line("sku", 1, "600.00").build());

        TierStanding standing = standing(customer).orElseThrow();

        assertThat(standing.status().tier()).isEqualTo("silver");
        assertThat(standing.qualifyingSpend()).isEqualByComparingTo("600.00");
        assertThat(standing.nextTier()).map(Tier::name).contains("gold");
        assertThat(standing.amountToNextTier()).hasValueSatisfying(
                missing -> assertThat(missing).isEqualByComparingTo("900.00"));
        // The order leaves the 365-day window, then the 30 days' grace run out.
        assertThat(standing.safeUntil()).contains(placedAt.plus(Duration.ofDays(365 + 30)));
        assertThat(standing.downgradeAt()).isEmpty();
    }

    @Test
    void theHistoryComesNewestFirstAPageAtATime() {
        String customer = newCustomer();
        apply(TestEvents.orderPlaced(customer).line("sku", 1, "100.00").build());
        apply(TestEvents.orderPlaced(customer).line("sku", 1, "500.00").build());
        apply(TestEvents.orderPlaced(customer).line("sku", 1, "1000.00").build());

        ReadTiers.HistoryPage first = read.history(customer, null, 2).await().atMost(Duration.ofSeconds(30));
        assertThat(first.changes()).extracting(TierChanged::toTier).containsExactly("gold", "silver");
        assertThat(first.nextBefore()).isNotNull();

        ReadTiers.HistoryPage second = read.history(customer, first.nextBefore(), 2)
                .await().atMost(Duration.ofSeconds(30));
        assertThat(second.changes()).extracting(TierChanged::direction)
                .containsExactly(TierChanged.Direction.INITIAL);
        assertThat(second.changes().get(0).qualifyingSpend().amount()).isEqualByComparingTo("100.00");
        assertThat(second.nextBefore()).isNull();
    }

    private Optional<TierStanding> standing(String customer) {
        return read.standing(customer).await().atMost(Duration.ofSeconds(30));
    }

    private void apply(EventEnvelope<OrderPlaced> event) {
        pool.withTransaction(tx -> applyOrderEvents.apply(tx, List.of(event))).await().atMost(Duration.ofSeconds(30));
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
