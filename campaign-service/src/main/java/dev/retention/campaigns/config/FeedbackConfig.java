package dev.retention.campaigns.config;

import io.smallrye.config.WithDefault;
import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * {@code retention.feedback.*}: the shop's configuration of feedback (docs/configuration.md). The secret is shared
 * with notification-service, which signs the feedback mail's score links with it.
 */
@ConfigMapping(prefix = "retention.feedback")
public interface FeedbackConfig {

    /**
     * HMAC-SHA256 key of the score links, at least 16 characters; the same as notification-service's. Absent: no
     * score link is accepted (the page says the links are unavailable); feedback from the shop's
     * {@code feedback.submitted} is recorded all the same.
     */
    Optional<String> secret();

    /** The secret before the last rotation: links it signed stay valid until they expire. */
    Optional<String> previousSecret();

    /**
     * Whether {@code service-recovery.requested} on {@code retention.helpdesk} may carry the detractor's comment:
     * the shop decides whether its helpdesk sees what customers wrote.
     */
    @WithDefault("false")
    boolean helpdeskComments();
}
