package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.notifications.MailAndWebhookServers;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The consumer's use case called directly with a batch, inside a transaction that is rolled back: the running
 * dispatcher never sees these rows, and the assertions read them through the same transaction.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MailAndWebhookServers.class, restrictToAnnotatedClass = true)
class ApplyNotificationEventsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    private static final Instant REGISTERED = Instant.parse("2026-01-01T00:00:00Z");

    @Inject
    ApplyNotificationEvents applyEvents;
    @Inject
    Pool pool;

    @Test
    void aTriggerBecomesANotificationPerConfiguredChannelAndItsRepublishingNoMore() {
        String customer = "c-" + UUID.randomUUID();
        TriggerFired expiring = trigger(TriggerType.POINTS_EXPIRING); // email and webhook in these tests
        TriggerFired thanks = trigger(TriggerType.REVIEW_THANKS); // the default channels: email

        List<String> rows = inRolledBackTransaction(tx -> applyEvents.apply(tx, List.of(
                        TestEvents.envelope(customer, expiring), TestEvents.envelope(customer, thanks)))
                .chain(published -> {
                    assertThat(published).as("notifications publish their outcomes later").isEmpty();
                    return applyEvents.apply(tx, List.of(TestEvents.envelope(customer, expiring)));
                })
                .chain(() -> rows(tx, """
                        SELECT notification_id, trigger_id, channel, trigger_type, state FROM notification
                        WHERE customer_id = $1 ORDER BY trigger_type, channel""", customer)));

        assertThat(rows).containsExactly(
                line(ApplyNotificationEvents.notificationId(expiring.triggerId(), "email"), expiring.triggerId(),
                        "email", "points-expiring", "PENDING"),
                line(ApplyNotificationEvents.notificationId(expiring.triggerId(), "webhook"), expiring.triggerId(),
                        "webhook", "points-expiring", "PENDING"),
                line(ApplyNotificationEvents.notificationId(thanks.triggerId(), "email"), thanks.triggerId(),
                        "email", "review-thanks", "PENDING"));
    }

    @Test
    void profileChangesOfOneBatchApplyInEventOrder() {
        String customer = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> batch = List.of(
                TestEvents.envelope(customer, new CustomerRegistered(REGISTERED, customer + "@example.com", "Alex",
                        "Doe", "en-GB", "Europe/London", null, new ChannelConsents(true, false, false, false), null)),
                TestEvents.envelope(customer, new CustomerUpdated(REGISTERED.plusSeconds(60),
                        "new-" + customer + "@example.com", "Alexa", "Doe", "de-DE", "Europe/Berlin", null,
                        new ChannelConsents(false, false, false, true))));

        List<String> contact = inRolledBackTransaction(tx -> applyEvents.apply(tx, batch)
                .chain(() -> contactRow(tx, customer)));

        assertThat(contact).containsExactly(line("true", "new-" + customer + "@example.com", "Alexa", "de-DE",
                "Europe/Berlin", "false", "true", "false"));
    }

    @Test
    void anErasureForgetsThePersonAndTheReceiversRepliesButKeepsTheCodes() {
        String customer = "c-" + UUID.randomUUID();
        EventEnvelope<?> registered = TestEvents.envelope(customer, new CustomerRegistered(REGISTERED,
                customer + "@example.com", "Alex", "Doe", "en-GB", "Europe/London", null,
                new ChannelConsents(true, false, false, true), null));

        List<String> after = inRolledBackTransaction(tx -> applyEvents.apply(tx, List.of(registered))
                .chain(() -> tx.preparedQuery("""
                        INSERT INTO notification (notification_id, trigger_id, customer_id, trigger_type, marketing,
                               channel, trigger, state, reason, attempts, created_at)
                        VALUES ($1, $1, $2, 'review-request', false, 'email', '{}', 'FAILED', $3, 1, now())""")
                        .execute(Tuple.of(UUID.randomUUID().toString(), customer,
                                "SMTP_550: SMTP 550 5.1.1 <" + customer + "@example.com>: no such user")))
                .chain(() -> applyEvents.apply(tx, List.of(TestEvents.envelope(customer,
                        new CustomerErased(REGISTERED.plusSeconds(60))))))
                .chain(() -> contactRow(tx, customer))
                .chain(contact -> rows(tx, "SELECT reason FROM notification WHERE customer_id = $1", customer)
                        .map(reasons -> {
                            List<String> all = new ArrayList<>(contact);
                            all.addAll(reasons);
                            return all;
                        })));

        assertThat(after).containsExactly(line("true", "null", "null", "null", "null", "false", "false", "true"),
                "SMTP_550");
    }

    // ---- helpers ----

    private <T> T inRolledBackTransaction(Function<SqlConnection, Uni<T>> work) {
        SqlConnection connection = pool.getConnection().await().atMost(TIMEOUT);
        Transaction transaction = connection.begin().await().atMost(TIMEOUT);
        try {
            return work.apply(connection).await().atMost(TIMEOUT);
        } finally {
            transaction.rollback().await().atMost(TIMEOUT);
            connection.close().await().atMost(TIMEOUT);
        }
    }

    /** known, email, first name, locale, zone, e-mail and webhook consent, erased. */
    private static Uni<List<String>> contactRow(SqlConnection tx, String customer) {
        return rows(tx, """
                SELECT profile_known, email, first_name, locale, time_zone, email_consent, webhook_consent, erased
                FROM contact WHERE customer_id = $1""", customer);
    }

    /** Each row as its values joined by spaces. */
    private static Uni<List<String>> rows(SqlConnection tx, String sql, String customer) {
        return tx.preparedQuery(sql).execute(Tuple.of(customer)).map(rows -> {
            List<String> lines = new ArrayList<>();
            for (Row row : rows) {
                List<String> values = new ArrayList<>();
                for (int i = 0; i < row.size(); i++) {
                    values.add(String.valueOf(row.getValue(i)));
                }
                lines.add(String.join(" ", values));
            }
            return lines;
        });
    }

    private static String line(String... values) {
        return String.join(" ", values);
    }

    private static TriggerFired trigger(TriggerType type) {
        return new TriggerFired(UUID.randomUUID().toString(), type, null, "test", UUID.randomUUID().toString(),
                "ord-1", null, Map.of(), Instant.now());
    }
}
