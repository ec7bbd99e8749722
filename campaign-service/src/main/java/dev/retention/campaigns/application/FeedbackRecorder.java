package dev.retention.campaigns.application;

import dev.retention.campaigns.config.FeedbackConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CampaignState;
import dev.retention.campaigns.domain.FeedbackAnswer;
import dev.retention.campaigns.domain.HelpdeskNotices;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.FeedbackStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.FeedbackRecorded;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Records feedback answers inside the caller's transaction, which holds the locks of their customers (the consumer's
 * batch, or a score link's own transaction): one answer per order, the first wins. A new answer publishes
 * {@code feedback.recorded} (points-service credits the feedback points for it; never the comment) and asks the
 * rules for its triggers; a detractor's also publishes {@code service-recovery.requested} for the shop's helpdesk,
 * with the comment only where {@code retention.feedback.helpdesk-comments} allows it. The events' ids derive from
 * the customer and the order, so whichever path answers first, the same event goes out, once.
 */
@ApplicationScoped
public class FeedbackRecorder {

    private final FeedbackStore store;
    private final CampaignRules rules;
    private final boolean helpdeskComments;
    private final MeterRegistry registry;

    public FeedbackRecorder(FeedbackStore store, CampaignRules rules, FeedbackConfig config, MeterRegistry registry) {
        this.store = store;
        this.rules = rules;
        this.helpdeskComments = config.helpdeskComments();
        this.registry = registry;
    }

    /** What the new answers came to: events to publish with the transaction, and triggers to issue in it. */
    public record Recorded(List<EventEnvelope<?>> events, List<TriggerRequest> requests, int answers) {
        static final Recorded NONE = new Recorded(List.of(), List.of(), 0);
    }

    /**
     * @param answers in the order they were given; an erased customer's comment is not kept
     * @param state   the locked customers (and the orders of the answers, created when unknown)
     */
    public Uni<Recorded> record(SqlConnection tx, List<FeedbackAnswer> answers, CampaignState state, Instant now) {
        Map<String, FeedbackAnswer> first = new LinkedHashMap<>();
        for (FeedbackAnswer answer : answers) {
            FeedbackAnswer kept = state.customer(answer.customerId()).erased() ? answer.withoutComment() : answer;
            first.putIfAbsent(FeedbackStore.key(answer.customerId(), answer.orderId()), kept);
        }
        if (first.isEmpty()) {
            return Uni.createFrom().item(Recorded.NONE);
        }
        return store.record(tx, first.values(), now).map(inserted -> {
            List<EventEnvelope<?>> events = new ArrayList<>();
            List<TriggerRequest> requests = new ArrayList<>();
            first.forEach((key, answer) -> {
                if (inserted.contains(key)) {
                    events.addAll(events(answer, now));
                    requests.addAll(rules.feedbackRecorded(answer, state.customer(answer.customerId()),
                            state.order(answer.orderId(), answer.customerId())));
                    registry.counter("retention.feedback.recorded", "class", answer.scoreClass().name(),
                            "channel", answer.channel().wireName()).increment();
                }
            });
            return new Recorded(events, requests, inserted.size());
        });
    }

    /** Clears the comments of the customers erased in a batch (after its answers are recorded). */
    public Uni<Void> erase(SqlConnection tx, Collection<String> erasedCustomerIds) {
        return store.eraseComments(tx, erasedCustomerIds);
    }

    /**
     * A comment the customer added on the thank-you page after answering: for a detractor, and where the shop allows
     * comments, the helpdesk's notice again, now with the comment (its own id, derived from the order's, so it too
     * goes out once).
     */
    public List<EventEnvelope<?>> commented(String customerId, String orderId, int score, String comment,
                                            Instant now) {
        return HelpdeskNotices.onLaterComment(orderId, score, comment, helpdeskComments, now)
                .<List<EventEnvelope<?>>>map(notice -> List.of(EventEnvelope.of(
                        EventIds.derive(cause(customerId, orderId), "service-recovery.requested:comment"),
                        TriggerIssuer.SOURCE, now, customerId, notice)))
                .orElse(List.of());
    }

    private List<EventEnvelope<?>> events(FeedbackAnswer answer, Instant now) {
        String cause = cause(answer.customerId(), answer.orderId());
        List<EventEnvelope<?>> events = new ArrayList<>();
        events.add(EventEnvelope.of(EventIds.derive(cause, "feedback.recorded"), TriggerIssuer.SOURCE, now,
                answer.customerId(), new FeedbackRecorded(answer.orderId(), answer.score(), answer.channel(), now)));
        HelpdeskNotices.onAnswer(answer, helpdeskComments, now).ifPresent(notice -> events.add(EventEnvelope.of(
                EventIds.derive(cause, "service-recovery.requested"), TriggerIssuer.SOURCE, now,
                answer.customerId(), notice)));
        return events;
    }

    private static String cause(String customerId, String orderId) {
        return "feedback:" + customerId + ":" + orderId;
    }
}
