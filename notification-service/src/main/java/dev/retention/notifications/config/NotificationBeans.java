package dev.retention.notifications.config;

import dev.retention.notifications.domain.NotificationRules;
import dev.retention.notifications.domain.QuietHours;
import dev.retention.notifications.domain.UnsubscribeTokens;
import io.quarkus.arc.DefaultBean;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.time.Clock;
import java.time.ZoneId;

/** Wires the framework-free domain from configuration. */
public class NotificationBeans {

    @Produces
    @Singleton
    NotificationRules rules(NotificationsConfig config) {
        return NotificationRules.builder()
                .quietHours(new QuietHours(config.quietHours().start(), config.quietHours().end()))
                .frequencyCap(config.frequencyCap().max(), config.frequencyCap().window())
                .contactWait(config.retry().contactWait())
                .defaultZone(ZoneId.of(config.defaultTimeZone()))
                .maxAttempts(config.retry().maxAttempts())
                .backoff(config.retry().initialBackoff(), config.retry().maxBackoff())
                .build();
    }

    @Produces
    @Singleton
    UnsubscribeTokens unsubscribeTokens(NotificationsConfig config) {
        return new UnsubscribeTokens(config.unsubscribe().secret(),
                config.unsubscribe().previousSecret().orElse(null));
    }

    /** Tests replace it to move time. */
    @Produces
    @Singleton
    @DefaultBean
    Clock clock() {
        return Clock.systemUTC();
    }
}
