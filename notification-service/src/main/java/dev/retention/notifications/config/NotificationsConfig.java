package dev.retention.notifications.config;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.net.URI;
import java.time.Duration;
import java.time.LocalTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** {@code retention.notifications.*}; docs/configuration.md describes each key. */
@ConfigMapping(prefix = "retention.notifications")
public interface NotificationsConfig {

    /** Channels per trigger type (wire name), e.g. {@code channels.delay-apology=email,webhook}; else {@code default-channels}. */
    Map<String, List<String>> channels();

    @WithDefault("email")
    List<String> defaultChannels();

    /** Templates fall back to this language when neither the customer's locale nor its language has them. */
    @WithDefault("en")
    String defaultLocale();

    @WithDefault("Europe/Berlin")
    String defaultTimeZone();

    /** A directory whose templates take precedence over the built-in ones: {@code <dir>/<trigger>/<lang>/<part>}. */
    Optional<String> templatesDir();

    /** Public base URL of this service, for unsubscribe links. */
    @WithDefault("http://localhost:8084")
    String publicUrl();

    QuietHours quietHours();

    FrequencyCap frequencyCap();

    Retry retry();

    Webhook webhook();

    Unsubscribe unsubscribe();

    Dispatch dispatch();

    interface QuietHours {
        @WithDefault("21:00")
        LocalTime start();

        @WithDefault("08:00")
        LocalTime end();
    }

    interface FrequencyCap {
        @WithDefault("2")
        int max();

        @WithDefault("24h")
        Duration window();
    }

    interface Retry {
        @WithDefault("8")
        int maxAttempts();

        @WithDefault("10s")
        Duration initialBackoff();

        @WithDefault("1h")
        Duration maxBackoff();

        /** How long a trigger waits for the customer's profile before it is suppressed (NO_CONTACT). */
        @WithDefault("1h")
        Duration contactWait();
    }

    interface Webhook {
        Optional<URI> url();

        /** Signing secrets, newest first; every one signs (rotation without downtime). */
        Optional<List<String>> secrets();

        @WithDefault("10s")
        Duration timeout();
    }

    interface Unsubscribe {
        String secret();

        Optional<String> previousSecret();
    }

    interface Dispatch {
        @WithDefault("2s")
        String every();

        @WithDefault("25")
        int batchSize();

        /** How long a claimed message may take to send before another run takes it again. */
        @WithDefault("2m")
        Duration lease();
    }
}
