package dev.retention.notifications.messaging;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.eventing.BatchHandler;
import dev.retention.notifications.config.NotificationsConfig;
import dev.retention.notifications.persistence.NotificationStore;
import dev.retention.notifications.persistence.NotificationStore.NewNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Customer profiles update the contacts; each {@code trigger.fired} becomes one notification per channel configured
 * for its type, due at once. The unique (trigger, channel) makes a redelivered trigger a no-op; the dispatcher,
 * woken after the commit, delivers.
 */
@ApplicationScoped
public class NotificationEventsHandler implements BatchHandler {

    private final NotificationStore store;
    private final Dispatcher dispatcher;
    private final Map<String, List<String>> channels;
    private final List<String> defaultChannels;
    private final Clock clock;

    public NotificationEventsHandler(NotificationStore store, Dispatcher dispatcher, NotificationsConfig config,
                                     Clock clock) {
        this.store = store;
        this.dispatcher = dispatcher;
        this.channels = config.channels();
        this.defaultChannels = config.defaultChannels();
        this.clock = clock;
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        Set<String> profileCustomers = new LinkedHashSet<>();
        List<NewNotification> notifications = new ArrayList<>();
        Instant now = clock.instant();
        for (EventEnvelope<?> event : events) {
            if (event.data() instanceof CustomerProfile || event.data() instanceof CustomerErased) {
                profileCustomers.add(event.customerId());
            } else if (event.data() instanceof TriggerFired trigger) {
                for (String channel : channels.getOrDefault(trigger.triggerType().wireName(), defaultChannels)) {
                    notifications.add(new NewNotification(notificationId(trigger.triggerId(), channel),
                            event.customerId(), channel, trigger, now));
                }
            }
        }
        List<String> erased = new ArrayList<>();
        return store.lockOrOpenContacts(tx, profileCustomers).flatMap(contacts -> {
            for (EventEnvelope<?> event : events) {
                String customer = event.customerId();
                if (event.data() instanceof CustomerRegistered registered) {
                    contacts.put(customer, contacts.get(customer).withProfile(registered, registered.registeredAt()));
                } else if (event.data() instanceof CustomerUpdated updated) {
                    contacts.put(customer, contacts.get(customer).withProfile(updated, updated.updatedAt()));
                } else if (event.data() instanceof CustomerErased) {
                    contacts.put(customer, contacts.get(customer).withPersonalDataErased());
                    erased.add(customer);
                }
            }
            return store.saveContacts(tx, contacts.values());
        }).flatMap(x -> store.forgetDeliveryDetails(tx, erased))
                .flatMap(x -> store.insertNotifications(tx, notifications)).replaceWith(List.of());
    }

    @Override
    public void committed() {
        dispatcher.wakeUp();
    }

    static String notificationId(String triggerId, String channel) {
        return EventIds.derive(triggerId + ":" + channel, "notification");
    }
}
