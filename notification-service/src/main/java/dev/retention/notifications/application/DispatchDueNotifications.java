package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.eventing.ChunkedWork;
import dev.retention.notifications.application.DeliveryOutcomes.Attempt;
import dev.retention.notifications.channels.DeliveryResult;
import dev.retention.notifications.channels.MessageRenderer;
import dev.retention.notifications.channels.NotificationChannel;
import dev.retention.notifications.channels.OutboundMessage;
import dev.retention.notifications.config.NotificationsConfig;
import dev.retention.notifications.domain.Contact;
import dev.retention.notifications.domain.DeliveryDecision;
import dev.retention.notifications.domain.NotificationRules;
import dev.retention.notifications.domain.PendingNotification;
import dev.retention.notifications.domain.UnsubscribeTokens;
import dev.retention.notifications.persistence.NotificationStore;
import dev.retention.notifications.persistence.ProductStore;
import dev.retention.notifications.domain.Product;
import io.micrometer.core.instrument.MeterRegistry;
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
public class DispatchDueNotifications {

    private static final Logger LOG = Logger.getLogger(DispatchDueNotifications.class);

    private final Pool pool;
    private final NotificationStore store;
    private final ProductStore products;
    private final NotificationRules rules;
    private final MessageRenderer renderer;
    private final UnsubscribeTokens tokens;
    private final UnitOfWork unitOfWork;
    private final MeterRegistry registry;
    private final Clock clock;
    private final Map<String, NotificationChannel> channels = new HashMap<>();
    private final int chunk;
    private final Duration lease;
    private final String unsubscribeBase;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();

    public DispatchDueNotifications(Pool pool, NotificationStore store, ProductStore products, NotificationRules rules,
                                    MessageRenderer renderer, UnsubscribeTokens tokens, UnitOfWork unitOfWork,
                                    MeterRegistry registry, Clock clock, Instance<NotificationChannel> available,
                                    NotificationsConfig config) {
        this.pool = pool;
        this.store = store;
        this.products = products;
        this.rules = rules;
        this.renderer = renderer;
        this.tokens = tokens;
        this.unitOfWork = unitOfWork;
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

    /** What a chunk works with: the claimed notifications, their customers' contacts and recent marketing. */
    private record LoadedChunk(List<PendingNotification> claimed, Map<String, Contact> contacts,
                               Map<String, Integer> marketingSent, Map<String, Product> products, Instant now) {
    }

    private Uni<Integer> dispatchChunk() {
        Instant now = clock.instant();
        return store.claimDue(pool, now, chunk, now.plus(lease))
                .chain(claimed -> claimed.isEmpty() ? Uni.createFrom().item(0) : dispatch(claimed, now));
    }

    private Uni<Integer> dispatch(List<PendingNotification> claimed, Instant now) {
        return load(claimed, now)
                .chain(this::deliver)
                .chain(this::record)
                .replaceWith(claimed.size());
    }

    private Uni<LoadedChunk> load(List<PendingNotification> claimed, Instant now) {
        List<String> customers = claimed.stream().map(PendingNotification::customerId).distinct().toList();
        // The recommended items as they are now: a product sold out since the trigger fired is not shown. A cart's
        // items are looked up too, for their names.
        List<String> skus = claimed.stream().flatMap(n -> java.util.stream.Stream.concat(
                n.trigger().recommendedSkus().stream(), n.trigger().cart() == null ? java.util.stream.Stream.empty()
                        : n.trigger().cart().lines().stream().map(line -> line.sku()))).distinct().toList();
        return store.knownContacts(pool, customers)
                .chain(contacts -> store.marketingSentSince(pool, customers, now.minus(rules.frequencyCapWindow()))
                        .chain(sent -> products.products(pool, skus)
                                .map(known -> new LoadedChunk(claimed, contacts, sent, known, now))));
    }

    /** Decides every claimed notification and sends the ones to send, all at once. */
    private Uni<List<Attempt>> deliver(LoadedChunk loaded) {
        Map<String, Integer> sent = new HashMap<>(loaded.marketingSent());
        List<Uni<Attempt>> attempts = new ArrayList<>();
        for (PendingNotification notification : loaded.claimed()) {
            Contact contact = loaded.contacts().get(notification.customerId());
            NotificationChannel channel = channels.get(notification.channel());
            boolean reachable = channel != null && contact != null && channel.canReach(contact);
            DeliveryDecision decision = rules.decide(notification, contact, reachable,
                    sent.getOrDefault(notification.customerId(), 0), loaded.now());
            if (decision.kind() != DeliveryDecision.Kind.SEND) {
                attempts.add(Uni.createFrom().item(Attempt.notSent(notification, decision)));
                continue;
            }
            if (notification.marketing()) {
                sent.merge(notification.customerId(), 1, Integer::sum);
            }
            attempts.add(send(notification, contact, channel, decision, loaded.products()));
        }
        return Uni.join().all(attempts).andFailFast();
    }

    private Uni<Attempt> send(PendingNotification notification, Contact contact, NotificationChannel channel,
                              DeliveryDecision decision, Map<String, Product> known) {
        MessageRenderer.Rendered rendered;
        String unsubscribe = notification.marketing() && channel.name().equals("email")
                ? unsubscribeBase + URLEncoder.encode(tokens.issue(contact.customerId(), "email"),
                        StandardCharsets.UTF_8)
                : null;
        try {
            rendered = renderer.render(notification.trigger(), contact, rules.zoneOf(contact), unsubscribe, known);
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

    /** The outcomes and their events in one transaction; counted once committed. */
    private Uni<Void> record(List<Attempt> attempts) {
        DeliveryOutcomes outcomes = DeliveryOutcomes.of(attempts, rules, clock.instant());
        return unitOfWork.commit(tx -> store.saveOutcomes(tx, outcomes.rows()), outcomes.events())
                .invoke(() -> count(outcomes.events()));
    }

    private void count(List<EventEnvelope<?>> events) {
        for (EventEnvelope<?> event : events) {
            NotificationOutcome outcome = (NotificationOutcome) event.data();
            registry.counter("retention.notifications", "outcome", outcome.outcome().name(),
                    "channel", outcome.channel()).increment();
        }
    }
}
