package dev.retention.notifications.messaging;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import dev.retention.notifications.channels.DeliveryResult;
import dev.retention.notifications.channels.NotificationChannel;
import dev.retention.notifications.channels.OutboundMessage;
import dev.retention.notifications.config.NotificationsConfig;
import dev.retention.notifications.domain.Contact;
import dev.retention.notifications.domain.DeliveryDecision;
import dev.retention.notifications.domain.NotificationRules;
import dev.retention.notifications.domain.PendingNotification;
import dev.retention.notifications.domain.UnsubscribeTokens;
import dev.retention.notifications.persistence.NotificationStore;
import dev.retention.notifications.persistence.NotificationStore.Recorded;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Instance;
import org.jboss.logging.Logger;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Delivers due notifications. A run claims a chunk of due rows (SKIP LOCKED, then a lease: replicas share the work,
 * and a dispatcher that dies mid-send leaves its rows to be taken again when the lease ends), decides each with
 * {@link NotificationRules}, renders and sends outside any transaction, then records the outcomes and their
 * {@code notification.outcome} events in one transaction. Sending is at least once towards the SMTP server or the
 * webhook: a crash between the send and the record repeats the send with the same Message-ID / delivery id.
 */
@ApplicationScoped
public class Dispatcher {

    private static final Logger LOG = Logger.getLogger(Dispatcher.class);
    static final String SOURCE = "/notification-service";

    private final Pool pool;
    private final NotificationStore store;
    private final NotificationRules rules;
    private final MessageRenderer renderer;
    private final UnsubscribeTokens tokens;
    private final EventOutbox outbox;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, NotificationChannel> channels = new HashMap<>();
    private final int chunk;
    private final Duration lease;
    private final String unsubscribeBase;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public Dispatcher(Pool pool, NotificationStore store, NotificationRules rules, MessageRenderer renderer,
                      UnsubscribeTokens tokens, EventOutbox outbox, MeterRegistry registry, Clock clock,
                      Instance<NotificationChannel> available, NotificationsConfig config) {
        this.pool = pool;
        this.store = store;
        this.rules = rules;
        this.renderer = renderer;
        this.tokens = tokens;
        this.outbox = outbox;
        this.registry = registry;
        this.clock = clock;
        available.forEach(channel -> channels.put(channel.name(), channel));
        List<String> configured = new ArrayList<>(config.defaultChannels());
        config.channels().values().forEach(configured::addAll);
        for (String name : configured) {
            if (!channels.containsKey(name)) {
                throw new IllegalArgumentException("retention.notifications.channels: unknown channel '" + name
                        + "' (known: " + channels.keySet() + ")");
            }
        }
        this.chunk = config.dispatch().batchSize();
        this.lease = config.dispatch().lease();
        this.unsubscribeBase = config.publicUrl().replaceAll("/+$", "") + "/unsubscribe?token=";
    }

    @Scheduled(every = "${retention.notifications.dispatch.every:2s}", delayed = "3s")
    void scheduled() {
        wakeUp();
    }

    /** Runs the dispatcher now, or once more right after the run in progress. */
    public void wakeUp() {
        if (running.compareAndSet(false, true)) {
            again.set(false);
            dispatchDue().subscribe().with(sent -> finished(), failure -> {
                LOG.warnf("dispatch failed, the next run retries: %s", failure);
                finished();
            });
        } else {
            again.set(true);
        }
    }

    private void finished() {
        running.set(false);
        if (again.getAndSet(false)) {
            wakeUp();
        }
    }

    /** Handles every due notification, a chunk at a time until a chunk comes back short; returns how many. */
    public Uni<Integer> dispatchDue() {
        return ChunkedWork.repeat(this::dispatchChunk, handled -> handled >= chunk, Integer::intValue);
    }

    private Uni<Integer> dispatchChunk() {
        Instant now = clock.instant();
        return store.claimDue(pool, now, chunk, now.plus(lease)).flatMap(claimed -> {
            if (claimed.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            List<String> customers = claimed.stream().map(PendingNotification::customerId).distinct().toList();
            return store.knownContacts(pool, customers).flatMap(contacts -> store.marketingSentSince(pool, customers,
                            now.minus(rules.frequencyCapWindow()))
                    .flatMap(sent -> deliver(claimed, contacts, sent, now)))
                    .flatMap(results -> record(results).replaceWith(claimed.size()));
        });
    }

    private record Attempt(PendingNotification notification, DeliveryDecision decision, String locale,
                           DeliveryResult result) {
    }

    private Uni<List<Attempt>> deliver(List<PendingNotification> claimed, Map<String, Contact> contacts,
                                       Map<String, Integer> sentBefore, Instant now) {
        Map<String, Integer> sent = new HashMap<>(sentBefore);
        List<Uni<Attempt>> attempts = new ArrayList<>();
        for (PendingNotification notification : claimed) {
            Contact contact = contacts.get(notification.customerId());
            NotificationChannel channel = channels.get(notification.channel());
            boolean reachable = channel != null && contact != null && channel.canReach(contact);
            DeliveryDecision decision = rules.decide(notification, contact, reachable,
                    sent.getOrDefault(notification.customerId(), 0), now);
            if (decision.kind() != DeliveryDecision.Kind.SEND) {
                attempts.add(Uni.createFrom().item(new Attempt(notification, decision, null, null)));
                continue;
            }
            if (notification.marketing()) {
                sent.merge(notification.customerId(), 1, Integer::sum);
            }
            attempts.add(send(notification, contact, channel, decision));
        }
        return Uni.join().all(attempts).andFailFast();
    }

    private Uni<Attempt> send(PendingNotification notification, Contact contact, NotificationChannel channel,
                              DeliveryDecision decision) {
        MessageRenderer.Rendered rendered;
        String unsubscribe = notification.marketing() && channel.name().equals("email")
                ? unsubscribeBase + URLEncoder.encode(tokens.issue(contact.customerId(), "email"),
                        StandardCharsets.UTF_8)
                : null;
        try {
            rendered = renderer.render(notification.trigger(), contact, rules.zoneOf(contact), unsubscribe);
        } catch (RuntimeException e) {
            LOG.errorf("cannot render %s for %s: %s", notification.trigger().triggerType().wireName(),
                    notification.notificationId(), e.toString());
            return Uni.createFrom().item(new Attempt(notification, decision, null,
                    DeliveryResult.permanent("TEMPLATE_ERROR", e.toString())));
        }
        OutboundMessage message = new OutboundMessage(notification.notificationId(), notification.customerId(),
                notification.trigger().triggerType().wireName(), rendered.locale(), channel.recipient(contact),
                rendered.subject(), rendered.text(), rendered.html(), unsubscribe, rendered.data());
        return channel.deliver(message).map(result -> new Attempt(notification, decision, rendered.locale(), result));
    }

    private Uni<Void> record(List<Attempt> attempts) {
        Instant now = clock.instant();
        List<Recorded> recorded = new ArrayList<>();
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (Attempt attempt : attempts) {
            PendingNotification n = attempt.notification();
            DeliveryDecision decision = attempt.decision();
            if (decision.kind() == DeliveryDecision.Kind.HOLD) {
                // HELD once per reason: the id names the reason and the attempt, and the time is when the reason
                // first appeared, kept with the row, so that an id never stands for two payloads.
                boolean sameReason = decision.reason().equals(n.heldReason());
                Instant heldSince = sameReason ? n.heldSince() : now;
                recorded.add(new Recorded(n.notificationId(), "HELD", decision.reason(), null, n.attempts(),
                        decision.holdUntil(), null, decision.reason(), heldSince));
                if (!sameReason) {
                    events.add(event(n, NotificationOutcome.Outcome.HELD, decision.reason(), null, n.attempts(),
                            heldSince));
                }
            } else if (decision.kind() == DeliveryDecision.Kind.SUPPRESS) {
                recorded.add(new Recorded(n.notificationId(), "SUPPRESSED", decision.reason(), null, n.attempts(),
                        null, null, null, null));
                events.add(event(n, NotificationOutcome.Outcome.SUPPRESSED, decision.reason(), null, n.attempts(),
                        now));
            } else {
                delivered(n, attempt.locale(), attempt.result(), now, recorded, events);
            }
        }
        return pool.withTransaction(tx -> store.saveOutcomes(tx, recorded).flatMap(x -> outbox.write(tx, events)))
                .invoke(() -> {
                    if (!events.isEmpty()) {
                        outbox.committed();
                    }
                    for (EventEnvelope<?> event : events) {
                        NotificationOutcome outcome = (NotificationOutcome) event.data();
                        registry.counter("retention.notifications", "outcome", outcome.outcome().name(),
                                "channel", outcome.channel()).increment();
                    }
                });
    }

    private void delivered(PendingNotification n, String locale, DeliveryResult result, Instant now,
                           List<Recorded> recorded, List<EventEnvelope<?>> events) {
        int attempt = n.attempts() + 1;
        switch (result.status()) {
            case DELIVERED:
                recorded.add(new Recorded(n.notificationId(), "SENT", null, locale, attempt, null, now, null, null));
                events.add(event(n, NotificationOutcome.Outcome.SENT, null, locale, attempt, now));
                return;
            case TEMPORARY_FAILURE:
                Instant next = rules.nextAttempt(attempt, now);
                if (next != null) {
                    // The code only: the receiver's reply (kept in the delivery log) can quote the address.
                    LOG.infof("%s attempt %d failed (%s), retrying at %s", n.notificationId(), attempt,
                            result.code(), next);
                    recorded.add(new Recorded(n.notificationId(), "PENDING", result.code() + ": " + result.detail(),
                            locale, attempt, next, null, null, null));
                    return;
                }
                recorded.add(new Recorded(n.notificationId(), "FAILED", result.code() + ": " + result.detail(),
                        locale, attempt, null, null, null, null));
                events.add(event(n, NotificationOutcome.Outcome.FAILED, "RETRIES_EXHAUSTED " + result.code(), locale,
                        attempt, now));
                return;
            default:
                recorded.add(new Recorded(n.notificationId(), "FAILED", result.code() + ": " + result.detail(),
                        locale, attempt, null, null, null, null));
                events.add(event(n, NotificationOutcome.Outcome.FAILED, result.code(), locale, attempt, now));
        }
    }

    /**
     * The published outcome: ids, type, channel, what happened and why; never an address or a name. {@code at} is
     * when it happened, the same whenever this id is published.
     */
    private static EventEnvelope<NotificationOutcome> event(PendingNotification n, NotificationOutcome.Outcome outcome,
                                                            String reason, String locale, int attempt, Instant at) {
        String id = EventIds.derive(n.notificationId() + ":" + outcome + ":" + attempt + ":" + reason,
                "notification.outcome");
        return EventEnvelope.of(id, SOURCE, at, n.customerId(), new NotificationOutcome(n.notificationId(),
                n.trigger().triggerId(), n.trigger().triggerType(), n.channel(), outcome, reason, locale, attempt,
                at));
    }
}
