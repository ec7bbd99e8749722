package dev.retention.notifications.config;

import io.smallrye.config.ConfigMapping;

import java.util.Optional;

/**
 * {@code retention.feedback.*}: where the feedback mail's score links point, and the secret that signs them (shared
 * with campaign-service, which verifies them). Without both, a feedback mail goes out without links (docs say to set
 * them before the programme asks for feedback mails).
 */
@ConfigMapping(prefix = "retention.feedback")
public interface FeedbackLinksConfig {

    /** campaign-service's public URL; the links are {@code <base-url>/feedback?token=…&score=N}. */
    Optional<String> baseUrl();

    /** HMAC-SHA256 key, at least 16 characters; campaign-service's {@code retention.feedback.secret}. */
    Optional<String> secret();
}
