package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.notifications.MailAndWebhookServers;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Due notifications decided, sent through the real SMTP server and recorded. The scheduled run may claim a row
 * before the call does: either way the row ends as asserted, so the test awaits the rows, not the call's count.
 */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MailAndWebhookServers.class, restrictToAnnotatedClass = true)
class DispatchDueNotificationsTest {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);

    @Inject
    DispatchDueNotifications dispatch;
    @Inject
    ApplyNotificationEvents applyEvents;
    @Inject
    Pool pool;

    @Test
    void dueNotificationsAreSentSuppressedOrHeldAndEachOutcomeIsRecorded() {
        String reachable = "c-" + UUID.randomUUID();
        String withoutConsent = "c-" + UUID.randomUUID();
        String withoutProfile = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> batch = List.of(registration(reachable), registration(withoutConsent),
                TestEvents.envelope(reachable, trigger(TriggerType.REVIEW_THANKS)),
                TestEvents.envelope(withoutConsent, trigger(TriggerType.WIN_BACK)),
                TestEvents.envelope(withoutProfile, trigger(TriggerType.REVIEW_THANKS)));
        pool.withTransaction(tx -> applyEvents.apply(tx, batch)).await().atMost(TIMEOUT);

        dispatch.dispatchDue().await().atMost(TIMEOUT);

        await().atMost(TIMEOUT).until(() -> decided(reachable) && decided(withoutConsent)
                && decided(withoutProfile));
        assertThat(state(reachable)).isEqualTo("SENT null 1 en sent");
        assertThat(state(withoutConsent)).isEqualTo("SUPPRESSED NO_CONSENT 0 null -");
        assertThat(state(withoutProfile)).isEqualTo("HELD CONTACT_UNKNOWN 0 null -");
    }

    /** Neither waiting to be claimed nor claimed (by this call or the scheduled run) and not yet recorded. */
    private boolean decided(String customer) {
        String state = state(customer);
        return !state.startsWith("PENDING") && !state.startsWith("SENDING");
    }

    /** state, reason, attempts, locale, and whether it was sent. */
    private String state(String customer) {
        Row row = pool.preparedQuery("""
                SELECT state, reason, attempts, locale, sent_at IS NOT NULL AS sent FROM notification
                WHERE customer_id = $1""").executeAndAwait(Tuple.of(customer)).iterator().next();
        return row.getString("state") + " " + row.getString("reason") + " " + row.getInteger("attempts") + " "
                + row.getString("locale") + " " + (row.getBoolean("sent") ? "sent" : "-");
    }

    private static EventEnvelope<CustomerRegistered> registration(String customer) {
        return TestEvents.envelope(customer, new CustomerRegistered(Instant.now(), customer + "@example.com", "Alex",
                "Doe", "en-GB", daytimeZone(), null, ChannelConsents.none(), null));
    }

    private static TriggerFired trigger(TriggerType type) {
        return new TriggerFired(UUID.randomUUID().toString(), type, null, "test", UUID.randomUUID().toString(),
                "ord-1", null, Map.of("step", "1"), Instant.now());
    }

    /** A fixed-offset zone where it is now about noon, outside the quiet hours. */
    private static String daytimeZone() {
        int offset = 12 - Instant.now().atZone(ZoneOffset.UTC).getHour();
        if (offset > 14) {
            offset -= 24;
        } else if (offset < -12) {
            offset += 24;
        }
        return ZoneOffset.ofHours(offset).getId();
    }
}
