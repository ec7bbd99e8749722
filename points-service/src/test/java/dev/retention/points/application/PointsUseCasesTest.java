package dev.retention.points.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.eventing.EventRejectedException;
import dev.retention.points.application.IdempotentLedgerWrites.Outcome;
import dev.retention.points.domain.PointsRefusedException;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.RedemptionRequest;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The application layer's use cases called directly, each in its own transaction on the real database: what each
 * writes and returns, without the broker in between.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class PointsUseCasesTest {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @Inject
    ApplyPointsEvents applyEvents;
    @Inject
    AdjustPoints adjust;
    @Inject
    RedeemPoints redeem;
    @Inject
    ReleaseDuePoints release;
    @Inject
    ExpireInactivePoints expiry;
    @Inject
    ReadPoints reads;
    @Inject
    PointsPolicies policies;
    @Inject
    MovableClock clock;
    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void aBatchLocksAppliesAndWritesBackEveryAccountItTouchesAndReturnsOneEventPerLedgerEntry() {
        String referrer = customer();
        String newcomer = customer();
        EventEnvelope<?> order = TestEvents.orderPlaced(newcomer).line("sku", 2, "30.00").build();
        List<EventEnvelope<?>> batch = List.of(registered(referrer, null), registered(newcomer, referrer), order);

        List<EventEnvelope<?>> published = apply(batch);

        // Sign-up bonuses for both, the order's pending points, and the referrer's bonus for the first order.
        assertThat(published).extracting(e -> ((PointsChanged) e.data()).rule()).containsExactly(
                "signup.bonus", "signup.bonus", "order.earning", "referral.bonus");
        assertThat(published).extracting(EventEnvelope::customerId)
                .containsExactly(referrer, newcomer, newcomer, referrer);
        assertThat(ledgerRows(newcomer)).isEqualTo(2);
        assertThat(ledgerRows(referrer)).isEqualTo(2);
        ReadPoints.Balance balance = reads.balance(newcomer).await().atMost(WAIT);
        assertThat(balance.account().pending()).isEqualTo(60);
        assertThat(balance.account().hasOrdered()).isTrue();
        assertThat(reads.balance(referrer).await().atMost(WAIT).account().available())
                .isEqualTo(((PointsChanged) published.get(0).data()).points()
                        + ((PointsChanged) published.get(3).data()).points());
    }

    @Test
    void anOrderAnnouncedAgainUnderAnotherEventIdEarnsNothingTheSecondTime() {
        String customer = customer();
        OrderPlaced placed = (OrderPlaced) TestEvents.orderPlaced(customer).line("sku", 1, "10.00").build().data();

        assertThat(apply(List.of(TestEvents.envelope(customer, placed)))).hasSize(1);
        assertThat(apply(List.of(TestEvents.envelope(customer, placed)))).isEmpty();
        assertThat(ledgerRows(customer)).isEqualTo(1);
    }

    @Test
    void anEventNamingAnotherCustomersOrderIsRejectedAndTheBatchWritesNothing() {
        String owner = customer();
        String other = customer();
        EventEnvelope<?> order = TestEvents.orderPlaced(owner).line("sku", 1, "10.00").build();
        apply(List.of(order));

        List<EventEnvelope<?>> batch = List.of(registered(other, null),
                TestEvents.orderCancelled(other, ((OrderPlaced) order.data()).orderId()));
        assertThatThrownBy(() -> apply(batch)).isInstanceOf(EventRejectedException.class)
                .hasMessageContaining("belongs to another customer");
        assertThat(ledgerRows(other)).isZero();
    }

    @Test
    void anOrderPlacedUnderAnotherCustomerForAPlacedOrderIsRejectedNotPassedOver() {
        String owner = customer();
        String other = customer();
        EventEnvelope<?> order = TestEvents.orderPlaced(owner).line("sku", 1, "10.00").build();
        apply(List.of(order));

        EventEnvelope<?> claimed = TestEvents.orderPlaced(other).orderId(((OrderPlaced) order.data()).orderId())
                .line("sku", 1, "10.00").build();
        assertThatThrownBy(() -> apply(List.of(claimed))).isInstanceOf(EventRejectedException.class)
                .hasMessageContaining("belongs to another customer");
        assertThat(ledgerRows(other)).isZero();
    }

    @Test
    void anOrderPlacedReplayedAfterTheCustomersErasureChangesNothingAndOpensNoAccount() {
        String customer = customer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "10.00").build();
        apply(List.of(registered(customer, null), order));
        apply(List.of(TestEvents.envelope(customer, new CustomerErased(Instant.now()))));

        assertThat(apply(List.of(order))).as("events published by the replay").isEmpty();
        assertThat(rows("SELECT count(*) FROM points_account WHERE customer_id = $1", customer)).isZero();
        assertThat(ledgerRows(customer)).isZero();
    }

    @Test
    void anAdjustmentIsWrittenOncePerKeyAndTheSameKeyForAnotherChangeIsRefused() {
        String customer = customer();
        apply(List.of(registered(customer, null)));

        Outcome first = adjust.adjust(customer, "key-1", 40, "goodwill", "agent-7").await().atMost(WAIT);
        Outcome retried = adjust.adjust(customer, "key-1", 40, "goodwill", "agent-7").await().atMost(WAIT);

        assertThat(first.replayed()).isFalse();
        assertThat(retried.replayed()).isTrue();
        // The same entry; its time as stored, to the microsecond (PostgreSQL's precision), where the first answer
        // had the clock's nanoseconds.
        assertThat(retried.entry()).usingRecursiveComparison().ignoringFields("occurredAt").isEqualTo(first.entry());
        assertThat(retried.entry().occurredAt()).isEqualTo(first.entry().occurredAt().truncatedTo(ChronoUnit.MICROS));
        assertThat(ledgerRows(customer)).isEqualTo(2);
        assertThat(pool.preparedQuery("SELECT actor FROM points_ledger WHERE entry_id = $1")
                .execute(Tuple.of(first.entry().entryId())).await().atMost(WAIT).iterator().next().getString(0))
                .isEqualTo("agent-7");
        assertThatThrownBy(() -> adjust.adjust(customer, "key-1", 41, "goodwill", "agent-7").await().atMost(WAIT))
                .isInstanceOf(RequestProblems.IdempotencyKeyReused.class);
        assertThatThrownBy(() -> adjust.adjust(customer(), "key-1", 1, "x", "agent-7").await().atMost(WAIT))
                .isInstanceOf(RequestProblems.CustomerNotFound.class);
    }

    @Test
    void aRedemptionForAnOrderOfAnotherCustomerIsABadRequestAndOneAboveTheBalanceIsRefusedByTheRules() {
        String owner = customer();
        String customer = customer();
        EventEnvelope<?> order = TestEvents.orderPlaced(owner).line("sku", 1, "10.00").build();
        apply(List.of(order, registered(customer, null)));
        String orderId = ((OrderPlaced) order.data()).orderId();

        assertThatThrownBy(() -> redeem.redeem(customer, "r-1", new RedemptionRequest(100, orderId, null, null))
                .await().atMost(WAIT)).isInstanceOf(RequestProblems.BadRequest.class);
        assertThatThrownBy(() -> redeem.redeem(customer, "r-2", new RedemptionRequest(1_000_000, null, null, null))
                .await().atMost(WAIT)).isInstanceOf(PointsRefusedException.class);
        assertThat(ledgerRows(customer)).isEqualTo(1);
    }

    @Test
    void pendingPointsAreReleasedOnceAndInactivePointsWarnedAboutThenExpired() {
        String customer = customer();
        apply(List.of(TestEvents.orderPlaced(customer).line("sku", 1, "25.00").build()));

        clock.advance(Duration.ofDays(61)); // past max-pending: released without a delivery
        release.releaseAll().await().atMost(WAIT);
        assertThat(release.releaseAll().await().atMost(WAIT)).isZero();
        assertThat(reads.balance(customer).await().atMost(WAIT).account().available()).isEqualTo(25);

        ReadPoints.Balance released = reads.balance(customer).await().atMost(WAIT);
        assertThat(released.expiresOn()).as("not within the warning period yet").isNull();
        Instant expiresAt = released.account().expiresAt(policies);
        clock.advance(Duration.between(clock.instant(), expiresAt.minus(Duration.ofDays(10))));
        expiry.expireAll().await().atMost(WAIT);
        assertThat(pool.preparedQuery("SELECT expiry_warned_for FROM points_account WHERE customer_id = $1")
                .execute(Tuple.of(customer)).await().atMost(WAIT).iterator().next().getValue(0))
                .as("warned of the expiry").isNotNull();
        assertThat(reads.balance(customer).await().atMost(WAIT).expiresOn()).isNotNull();
        assertThat(reads.balance(customer).await().atMost(WAIT).account().available()).isEqualTo(25);

        clock.advance(Duration.ofDays(20));
        expiry.expireAll().await().atMost(WAIT);
        assertThat(reads.balance(customer).await().atMost(WAIT).account().available()).isZero();
        assertThat(reads.ledger(customer, null, 10).await().atMost(WAIT).entries())
                .extracting(e -> e.kind().name()).containsExactly("EXPIRED", "RELEASED", "EARNED_PENDING");
    }

    private List<EventEnvelope<?>> apply(List<EventEnvelope<?>> events) {
        return pool.withTransaction(tx -> applyEvents.apply(tx, events)).await().atMost(WAIT);
    }

    private static EventEnvelope<CustomerRegistered> registered(String customer, String referredBy) {
        CustomerRegistered registered = TestEvents.customerRegistered(customer, LocalDate.of(1990, 5, 1)).data();
        return TestEvents.envelope(customer, new CustomerRegistered(registered.registeredAt(), registered.email(),
                registered.firstName(), registered.lastName(), registered.locale(), registered.timeZone(),
                registered.birthDate(), registered.consents(), referredBy));
    }

    private long rows(String countQuery, String customer) {
        return pool.preparedQuery(countQuery).execute(Tuple.of(customer)).await().atMost(WAIT).iterator().next()
                .getLong(0);
    }

    private long ledgerRows(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM points_ledger WHERE customer_id = $1")
                .execute(Tuple.of(customer)).await().atMost(WAIT).iterator().next().getLong(0);
    }

    private static String customer() {
        return "c-" + UUID.randomUUID();
    }
}
