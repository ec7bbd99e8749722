package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.FeedbackRecorded;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.events.ServiceRecoveryRequested;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.eventing.BatchHandler;
import dev.retention.notifications.config.NotificationsConfig;
import dev.retention.notifications.domain.Contact;
import dev.retention.notifications.persistence.NotificationStore;
import dev.retention.notifications.persistence.NotificationStore.NewNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;

/**
 * Customer profiles update the contacts; each {@code trigger.fired} becomes one notification per channel configured
 * for its type, due at once. The unique (trigger, channel) makes a redelivered trigger a no-op; the dispatcher,
 * woken after the commit, delivers. The eventing kit opens the batch's transaction and calls {@link #apply}.
 */
@ApplicationScoped
public class ApplyNotificationEvents implements BatchHandler {

    private final NotificationStore store;
    private final DispatchDueNotifications dispatch;
    private final Map<String, List<String>> channels;
    private final List<String> defaultChannels;
    private final Clock clock;

    public ApplyNotificationEvents(NotificationStore store, DispatchDueNotifications dispatch,
                                   NotificationsConfig config, Clock clock) {
        this.store = store;
        this.dispatch = dispatch;
        this.channels = config.channels();
        this.defaultChannels = config.defaultChannels();
        this.clock = clock;
    }

    /** A change to one customer's contact, in the order of the batch's events. */
    private record ContactChange(String customerId, UnaryOperator<Contact> change, boolean erasure) {
    }

    /** What a batch asks of the database: contact changes and the notifications to create. */
    private record BatchWork(List<ContactChange> contactChanges, List<NewNotification> notifications) {

        Set<String> contactsToChange() {
            Set<String> customers = new LinkedHashSet<>();
            contactChanges.forEach(change -> customers.add(change.customerId()));
            return customers;
        }

        /** The contacts after this batch's changes, applied in event order. */
        Collection<Contact> changed(Map<String, Contact> locked) {
            for (ContactChange change : contactChanges) {
                locked.put(change.customerId(), change.change().apply(locked.get(change.customerId())));
            }
            return locked.values();
        }

        List<String> erased() {
            List<String> erased = new ArrayList<>();
            for (ContactChange change : contactChanges) {
                if (change.erasure()) {
                    erased.add(change.customerId());
                }
            }
            return erased;
        }
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, List<EventEnvelope<?>> events) {
        BatchWork work = plan(events, clock.instant());
        return store.lockOrOpenContacts(tx, work.contactsToChange())
                .chain(locked -> store.saveContacts(tx, work.changed(locked)))
                .chain(() -> store.forgetDeliveryDetails(tx, work.erased()))
                .chain(() -> store.insertNotifications(tx, work.notifications()))
                .replaceWith(List.of());
    }

    /** One pass over the batch: what each event asks for, in event order. */
    private BatchWork plan(List<EventEnvelope<?>> events, Instant now) {
        List<ContactChange> contactChanges = new ArrayList<>();
        List<NewNotification> notifications = new ArrayList<>();
        for (EventEnvelope<?> event : events) {
            String customer = event.customerId();
            switch (event.data()) {
                case CustomerRegistered registered -> contactChanges.add(new ContactChange(customer,
                        contact -> contact.withProfile(registered, registered.registeredAt()), false));
                case CustomerUpdated updated -> contactChanges.add(new ContactChange(customer,
                        contact -> contact.withProfile(updated, updated.updatedAt()), false));
                case CustomerErased erasure -> contactChanges.add(new ContactChange(customer,
                        Contact::withPersonalDataErased, true));
                case TriggerFired trigger -> {
                    for (String channel : channels.getOrDefault(trigger.triggerType().wireName(), defaultChannels)) {
                        notifications.add(new NewNotification(notificationId(trigger.triggerId(), channel), customer,
                                channel, trigger, now));
                    }
                }
                // This consumer reads retention.triggers and customers only (application.properties): the other
                // topics' types never reach it. Listed so that a new type has to be placed here or above.
                case OrderPlaced ignored -> { }
                case OrderCancelled ignored -> { }
                case OrderReturned ignored -> { }
                case ShipmentDispatched ignored -> { }
                case ShipmentDelayed ignored -> { }
                case ShipmentDelivered ignored -> { }
                case ShipmentDeliveryFailed ignored -> { }
                case ReviewSubmitted ignored -> { }
                case PointsChanged ignored -> { }
                case PointsExpiring ignored -> { }
                case TierChanged ignored -> { }
                case TierDowngradeAtRisk ignored -> { }
                case NotificationOutcome ignored -> { }
                case ProgrammePublished ignored -> { }
                case RewardRedemptionRequested ignored -> { }
                case RewardIssued ignored -> { }
                case RewardIssueFailed ignored -> { }
                case VoucherRedeemed ignored -> { }
                case VoucherRejected ignored -> { }
                case VoucherReleased ignored -> { }
                case ProductUpdated ignored -> { }
                case dev.retention.contracts.events.CartUpdated ignored -> { }
                case dev.retention.contracts.events.CheckoutStarted ignored -> { }
                case FeedbackSubmitted ignored -> { }
                case FeedbackRecorded ignored -> { }
                case ServiceRecoveryRequested ignored -> { }
                case dev.retention.contracts.events.TriggerHeldOut ignored -> { }
                case dev.retention.contracts.events.InsightsSnapshot ignored -> { }
            }
        }
        return new BatchWork(contactChanges, notifications);
    }

    @Override
    public void committed() {
        dispatch.wakeUp();
    }

    static String notificationId(String triggerId, String channel) {
        return EventIds.derive(triggerId + ":" + channel, "notification");
    }
}
