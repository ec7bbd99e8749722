package dev.retention.notifications.application;

import dev.retention.notifications.MailAndWebhookServers;
import dev.retention.notifications.domain.UnsubscribeTokens;
import dev.retention.testsupport.MovableClock;
import dev.retention.testsupport.RetentionTestResources;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
@QuarkusTestResource(value = MailAndWebhookServers.class, restrictToAnnotatedClass = true)
class UnsubscribeFromMarketingTest {

    @Inject
    UnsubscribeFromMarketing unsubscribing;
    @Inject
    UnsubscribeTokens tokens;
    @Inject
    MovableClock clock;
    @Inject
    Pool pool;

    @AfterEach
    void resetClock() {
        clock.reset();
    }

    @Test
    void onlyASignedEmailLinkNamesTheCustomer() {
        assertThat(unsubscribing.subject(tokens.issue("c-1", "email")))
                .contains(new UnsubscribeTokens.Subject("c-1", "email"));
        assertThat(unsubscribing.subject(tokens.issue("c-1", "webhook"))).isEmpty();
        assertThat(unsubscribing.subject("forged." + UUID.randomUUID())).isEmpty();
    }

    @Test
    void theFirstUnsubscribeCountsAndStandsBeforeAnyProfileHasArrived() {
        String customer = "c-" + UUID.randomUUID();
        UnsubscribeTokens.Subject subject = unsubscribing.subject(tokens.issue(customer, "email")).orElseThrow();
        Instant before = clock.instant();

        unsubscribing.unsubscribe(subject).await().atMost(Duration.ofSeconds(10));
        Instant first = unsubscribedAt(customer);
        clock.advance(Duration.ofHours(1));
        unsubscribing.unsubscribe(subject).await().atMost(Duration.ofSeconds(10));

        assertThat(first).isBetween(before.minusMillis(1), clock.instant().minus(Duration.ofHours(1)));
        assertThat(unsubscribedAt(customer)).isEqualTo(first);
        assertThat(pool.preparedQuery("SELECT profile_known FROM contact WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next().getBoolean("profile_known")).isFalse();
    }

    private Instant unsubscribedAt(String customer) {
        Row row = pool.preparedQuery("SELECT unsubscribed_at FROM contact WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next();
        return row.getOffsetDateTime("unsubscribed_at").toInstant();
    }
}
