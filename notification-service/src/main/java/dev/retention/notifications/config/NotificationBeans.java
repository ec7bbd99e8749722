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
        return new NotificationRules(new QuietHours(config.quietHours().start(), config.quietHours().end()),
                config.frequencyCap().max(), config.frequencyCap().window(), config.retry().contactWait(),
                ZoneId.of(config.defaultTimeZone()), config.retry().maxAttempts(), config.retry().initialBackoff(),
                config.retry().maxBackoff());
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
