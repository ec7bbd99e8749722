package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.config.FeedbackConfig;
import dev.retention.campaigns.domain.CampaignState;
import dev.retention.campaigns.domain.FeedbackAnswer;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.campaigns.persistence.FeedbackStore;
import dev.retention.campaigns.persistence.FeedbackStore.FeedbackRequestOf;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.feedback.FeedbackLinkTokens;
import dev.retention.contracts.feedback.FeedbackScores;
import dev.retention.eventing.EventOutbox;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * A score link of the feedback mail, clicked: the signed token names the feedback request (a trigger id), the
 * request names the customer and the order. The answer is recorded like the shop's {@code feedback.submitted}
 * ({@link FeedbackRecorder}): once per order, the first answer wins, in a transaction that holds the customer's lock,
 * its events through the outbox. A comment can follow once, on the thank-you page (a detractor's reaches the
 * helpdesk where the shop allows comments: {@link FeedbackRecorder#commented}).
 */
@ApplicationScoped
public class AnswerFeedbackLink {

    private final Pool pool;
    private final CampaignStore campaigns;
    private final FeedbackStore feedback;
    private final FeedbackRecorder recorder;
    private final CampaignUnitOfWork unitOfWork;
    private final EventOutbox outbox;
    private final Clock clock;
    private final Optional<FeedbackLinkTokens> tokens;

    public AnswerFeedbackLink(Pool pool, CampaignStore campaigns, FeedbackStore feedback, FeedbackRecorder recorder,
                              CampaignUnitOfWork unitOfWork, EventOutbox outbox, Clock clock, FeedbackConfig config) {
        this.pool = pool;
        this.campaigns = campaigns;
        this.feedback = feedback;
        this.recorder = recorder;
        this.unitOfWork = unitOfWork;
        this.outbox = outbox;
        this.clock = clock;
        this.tokens = config.secret().map(secret -> new FeedbackLinkTokens(secret, config.previousSecret().orElse(null)));
    }

    /** What a link's token and score come to before anything is recorded. */
    public sealed interface Link permits Usable, Refused {
    }

    /** A valid token of the feedback request {@code triggerId}, which we sent. */
    public record Usable(String token, String triggerId, FeedbackRequestOf request) implements Link {
    }

    /** Why a link cannot be used: the page says so with a 4xx. */
    public record Refused(Reason reason) implements Link {
    }

    public enum Reason { INVALID, EXPIRED, UNAVAILABLE }

    /** What a click came to. */
    public enum Outcome { RECORDED, ALREADY_ANSWERED }

    public enum CommentOutcome { ADDED, NOT_ACCEPTED }

    /** Checks the token (signature, expiry) and finds its feedback request. */
    public Uni<Link> link(String token) {
        if (tokens.isEmpty()) {
            return Uni.createFrom().item(new Refused(Reason.UNAVAILABLE));
        }
        return switch (tokens.get().verify(token, clock.instant())) {
            case FeedbackLinkTokens.Invalid invalid -> Uni.createFrom().item(new Refused(Reason.INVALID));
            case FeedbackLinkTokens.Expired expired -> Uni.createFrom().item(new Refused(Reason.EXPIRED));
            case FeedbackLinkTokens.Valid valid -> isUuid(valid.triggerId())
                    ? feedback.feedbackRequest(pool, valid.triggerId()).map(found -> found
                            .<Link>map(request -> new Usable(token, valid.triggerId(), request))
                            .orElse(new Refused(Reason.INVALID)))
                    : Uni.createFrom().item(new Refused(Reason.INVALID));
        };
    }

    /** Records the score of the link's order, unless the order was answered before (then nothing changes). */
    public Uni<Outcome> answer(Usable link, int score) {
        FeedbackScores.of(score);
        Instant now = clock.instant();
        FeedbackRequestOf request = link.request();
        FeedbackAnswer answer = new FeedbackAnswer(request.customerId(), request.orderId(), score, null,
                FeedbackChannel.EMAIL, now, link.triggerId());
        List<EventEnvelope<?>> published = new ArrayList<>();
        return pool.withTransaction(tx -> campaigns.lockOrOpenCustomers(tx, Set.of(request.customerId()))
                        .chain(customers -> campaigns.orders(tx, Set.of(request.orderId()))
                                .map(orders -> new CampaignState(customers, orders, Map.of())))
                        .chain(state -> recorder.record(tx, List.of(answer), state, now)
                                .chain(recorded -> recorded.answers() == 0
                                        ? Uni.createFrom().item(Outcome.ALREADY_ANSWERED)
                                        : save(tx, state, recorded, now, published)
                                        .replaceWith(Outcome.RECORDED))))
                .invoke(() -> {
                    if (!published.isEmpty()) {
                        outbox.committed();
                    }
                });
    }

    private Uni<Void> save(SqlConnection tx, CampaignState state, FeedbackRecorder.Recorded recorded, Instant now,
                           List<EventEnvelope<?>> published) {
        Changes changes = new Changes(state.changedCustomers(), state.changedOrders(), List.of(), recorded.requests(),
                List.of());
        return unitOfWork.save(tx, changes, state.customers(), now).chain(issued -> {
            published.addAll(recorded.events());
            published.addAll(issued.events());
            return outbox.write(tx, published);
        });
    }

    /**
     * The comment of the thank-you page: once, for an answer given without one, and never for an erased customer.
     * Longer than {@link FeedbackSubmitted#MAX_COMMENT} characters is cut there.
     */
    public Uni<CommentOutcome> comment(Usable link, String comment) {
        if (comment == null || comment.isBlank()) {
            return Uni.createFrom().item(CommentOutcome.NOT_ACCEPTED);
        }
        String kept = comment.length() > FeedbackSubmitted.MAX_COMMENT
                ? comment.substring(0, FeedbackSubmitted.MAX_COMMENT) : comment;
        FeedbackRequestOf request = link.request();
        Instant now = clock.instant();
        List<EventEnvelope<?>> published = new ArrayList<>();
        return pool.withTransaction(tx -> campaigns.lockOrOpenCustomers(tx, Set.of(request.customerId()))
                        .chain(customers -> customers.get(request.customerId()).erased()
                                ? Uni.createFrom().item(Optional.<Integer>empty())
                                : feedback.addComment(tx, request.customerId(), request.orderId(), kept))
                        .chain(score -> {
                            if (score.isEmpty()) {
                                return Uni.createFrom().item(CommentOutcome.NOT_ACCEPTED);
                            }
                            published.addAll(recorder.commented(request.customerId(), request.orderId(),
                                    score.get(), kept, now));
                            return (published.isEmpty() ? Uni.createFrom().voidItem() : outbox.write(tx, published))
                                    .replaceWith(CommentOutcome.ADDED);
                        }))
                .invoke(() -> {
                    if (!published.isEmpty()) {
                        outbox.committed();
                    }
                });
    }

    private static boolean isUuid(String id) {
        try {
            return UUID.fromString(id).toString().equalsIgnoreCase(id);
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
