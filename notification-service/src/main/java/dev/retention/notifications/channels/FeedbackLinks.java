package dev.retention.notifications.channels;

import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.feedback.FeedbackLinkTokens;
import dev.retention.contracts.feedback.FeedbackScores;
import dev.retention.notifications.config.FeedbackLinksConfig;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The 0-10 scale of a feedback mail: one signed token per mail (the feedback request's trigger id and the links'
 * expiry, {@link FeedbackLinkTokens}) and a link per score. The score is the customer's choice, so it travels beside
 * the token; the token binds the links to the one order the request asked about. No personal data in the URL.
 */
@ApplicationScoped
public class FeedbackLinks {

    private static final Logger LOG = Logger.getLogger(FeedbackLinks.class);

    /** One link of the scale. */
    public record ScoreLink(int score, String url) {
    }

    private final Optional<String> base;
    private final Optional<FeedbackLinkTokens> tokens;

    public FeedbackLinks(FeedbackLinksConfig config) {
        this.base = config.baseUrl().map(url -> url.replaceAll("/+$", ""));
        this.tokens = config.secret().map(secret -> new FeedbackLinkTokens(secret, null));
        if (base.isEmpty() || tokens.isEmpty()) {
            LOG.info("retention.feedback.base-url or retention.feedback.secret not set: feedback mails go out"
                    + " without score links");
        }
    }

    /** The scale for a feedback request; empty for other triggers, or when links are not configured. */
    public List<ScoreLink> of(TriggerFired trigger) {
        if (trigger.triggerType() != TriggerType.FEEDBACK_REQUEST || base.isEmpty() || tokens.isEmpty()) {
            return List.of();
        }
        Map<String, String> attributes = trigger.attributes() == null ? Map.of() : trigger.attributes();
        Instant validUntil;
        try {
            validUntil = Instant.parse(attributes.getOrDefault("linksValidUntil", ""));
        } catch (DateTimeParseException e) {
            return List.of();
        }
        String token = URLEncoder.encode(tokens.get().issue(trigger.triggerId(), validUntil), StandardCharsets.UTF_8);
        List<ScoreLink> links = new ArrayList<>();
        for (int score = FeedbackScores.MIN; score <= FeedbackScores.MAX; score++) {
            links.add(new ScoreLink(score, base.get() + "/feedback?token=" + token + "&score=" + score));
        }
        return links;
    }
}
