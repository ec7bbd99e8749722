package dev.retention.notifications.application;

import dev.retention.notifications.MailAndWebhookServers;
import dev.retention.notifications.domain.HistoryEntry;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MailAndWebhookServers.class, restrictToAnnotatedClass = true)
class ReadNotificationHistoryTest {

    @Inject
    ReadNotificationHistory history;
    @Inject
    Pool pool;

    @Test
    void theLatestNotificationsOfTheCustomerComeNewestFirstWithStateReasonAndAttempts() {
        String customer = "c-" + UUID.randomUUID();
        Instant first = Instant.parse("2026-05-01T10:00:00Z");
        // Not due (no due_at): the running dispatcher leaves these rows alone.
        logged("n-old-" + customer, customer, "SENT", null, 1, first);
        logged("n-mid-" + customer, customer, "FAILED", "SMTP_550: no such user", 2, first.plusSeconds(60));
        logged("n-new-" + customer, customer, "SUPPRESSED", "NO_CONSENT", 0, first.plusSeconds(120));
        logged("n-other-" + customer, "c-" + UUID.randomUUID(), "SENT", null, 1, first.plusSeconds(180));

        List<HistoryEntry> latest = history.latest(customer, 2).await().atMost(Duration.ofSeconds(10));

        assertThat(latest).containsExactly(
                new HistoryEntry("n-new-" + customer, "n-new-" + customer, "review-request", "email", "SUPPRESSED",
                        "NO_CONSENT", null, 0, first.plusSeconds(120), null),
                new HistoryEntry("n-mid-" + customer, "n-mid-" + customer, "review-request", "email", "FAILED",
                        "SMTP_550: no such user", null, 2, first.plusSeconds(60), null));
    }

    private void logged(String id, String customer, String state, String reason, int attempts, Instant created) {
        pool.preparedQuery("""
                INSERT INTO notification (notification_id, trigger_id, customer_id, trigger_type, marketing, channel,
                       trigger, state, reason, attempts, created_at)
                VALUES ($1, $1, $2, 'review-request', false, 'email', '{}', $3, $4, $5, $6)""")
                .executeAndAwait(Tuple.of(id, customer, state, reason, attempts,
                        OffsetDateTime.ofInstant(created, ZoneOffset.UTC)));
    }
}
