package dev.retention.notifications.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.eventing.ColumnBinder;
import dev.retention.notifications.domain.Contact;
import dev.retention.notifications.domain.HistoryEntry;
import dev.retention.notifications.domain.PendingNotification;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** Contacts and notifications, a batch at a time. */
@ApplicationScoped
public class NotificationStore {

    /** The contact table as the service reads and writes it back. */
    private static final ColumnBinder<Contact> CONTACT = ColumnBinder.<Contact>builder()
            .text("customer_id", Contact::customerId)
            .bool("profile_known", Contact::known)
            .text("email", Contact::email)
            .text("first_name", Contact::firstName)
            .text("locale", Contact::locale)
            .text("time_zone", Contact::timeZone)
            .bool("email_consent", contact -> contact.consents().email())
            .bool("webhook_consent", contact -> contact.consents().webhook())
            .bool("sms_consent", contact -> contact.consents().sms())
            .bool("push_consent", contact -> contact.consents().push())
            .timestamptz("unsubscribed_at", Contact::unsubscribedAt)
            .bool("erased", Contact::erased)
            .build();
    /** A new notification's columns; the trigger, JSON text, last, as the insert casts it. */
    private static final ColumnBinder<NewNotification> NEW_NOTIFICATION = ColumnBinder.<NewNotification>builder()
            .text("notification_id", NewNotification::notificationId)
            .text("trigger_id", notification -> notification.trigger().triggerId())
            .text("customer_id", NewNotification::customerId)
            .text("trigger_type", notification -> notification.trigger().triggerType().wireName())
            .bool("marketing", notification -> notification.trigger().triggerType().marketing())
            .text("channel", NewNotification::channel)
            .timestamptz("created_at", NewNotification::createdAt)
            .text("trigger", notification -> json(notification.trigger()))
            .build();
    /** What an attempt changes in its notification's row. */
    private static final ColumnBinder<Recorded> OUTCOME = ColumnBinder.<Recorded>builder()
            .text("notification_id", Recorded::notificationId)
            .text("state", Recorded::state)
            .text("reason", Recorded::reason)
            .text("locale", Recorded::locale)
            .integer("attempts", Recorded::attempts)
            .timestamptz("due_at", Recorded::dueAt)
            .timestamptz("sent_at", Recorded::sentAt)
            .text("held_reason", Recorded::heldReason)
            .timestamptz("held_since", Recorded::heldSince)
            .build();

    private static final String OPEN_CONTACTS = """
            INSERT INTO contact (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING""";
    private static final String LOCK_CONTACTS = "SELECT " + CONTACT.names()
            + " FROM contact WHERE customer_id IN (SELECT unnest($1::text[])) ORDER BY customer_id FOR UPDATE";
    private static final String READ_CONTACTS = "SELECT " + CONTACT.names()
            + " FROM contact WHERE customer_id IN (SELECT unnest($1::text[])) AND profile_known";
    private static final String SAVE_CONTACTS = CONTACT.updateByKey("contact", "customer_id");
    private static final String UNSUBSCRIBE = """
            INSERT INTO contact (customer_id, unsubscribed_at) VALUES ($1, $2)
            ON CONFLICT (customer_id) DO UPDATE SET unsubscribed_at = coalesce(contact.unsubscribed_at, $2)""";
    /** Due at once; a trigger already turned into a notification for the channel (the same derived id) is passed over. */
    private static final String INSERT_NOTIFICATIONS = "INSERT INTO notification (" + NEW_NOTIFICATION.names()
            + ", state, due_at) SELECT " + NEW_NOTIFICATION.namesWithout("trigger")
            + ", trigger::jsonb, 'PENDING', created_at FROM " + NEW_NOTIFICATION.unnestAs("n")
            + " ON CONFLICT (notification_id) DO NOTHING";
    private static final String CLAIM_DUE = """
            UPDATE notification SET state = 'SENDING', due_at = $3
            WHERE notification_id IN (SELECT notification_id FROM notification WHERE due_at <= $1
                                      ORDER BY marketing, due_at LIMIT $2 FOR UPDATE SKIP LOCKED)
            RETURNING notification_id, customer_id, channel, trigger, created_at, attempts, held_reason, held_since""";
    private static final String MARKETING_SENT = """
            SELECT customer_id, count(*) AS sent FROM notification
            WHERE customer_id = ANY($1::text[]) AND sent_at > $2 AND marketing GROUP BY customer_id""";
    /** An outcome without a language (held, suppressed) keeps the one an earlier attempt used. */
    private static final String SAVE_OUTCOMES = "UPDATE notification n SET "
            + OUTCOME.assignments("u", "notification_id", "locale") + ", locale = coalesce(u.locale, n.locale) FROM "
            + OUTCOME.unnestAs("u") + " WHERE n.notification_id = u.notification_id";
    /** A failure's reason is "CODE: the receiver's reply", and a reply can quote the address: keep the code. */
    private static final String FORGET_DELIVERY_DETAILS = """
            UPDATE notification SET reason = split_part(reason, ':', 1)
            WHERE customer_id = ANY($1::text[]) AND strpos(reason, ':') > 0""";
    private static final String HISTORY = """
            SELECT notification_id, trigger_id, trigger_type, channel, state, reason, locale, attempts, created_at,
                   sent_at FROM notification WHERE customer_id = $1 ORDER BY created_at DESC LIMIT $2""";

    /**
     * The outcome of one attempt, to be written. {@code heldReason} and {@code heldSince} describe the hold in force
     * (both null when the message does not wait for a reason).
     */
    public record Recorded(String notificationId, String state, String reason, String locale, int attempts,
                          Instant dueAt, Instant sentAt, String heldReason, Instant heldSince) {
    }

    public record NewNotification(String notificationId, String customerId, String channel, TriggerFired trigger,
                                  Instant createdAt) {
    }

    // ---- contacts ----

    public Uni<Map<String, Contact>> lockOrOpenContacts(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        Tuple ids = Tuple.tuple().addArrayOfString(sortedKeys(customerIds));
        return tx.preparedQuery(OPEN_CONTACTS).execute(ids)
                .chain(() -> tx.preparedQuery(LOCK_CONTACTS).execute(ids))
                .map(NotificationStore::contacts);
    }

    /** {@code customer.erased}: the delivery log keeps what happened, not what a mail server said about the address. */
    public Uni<Void> forgetDeliveryDetails(SqlConnection tx, List<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(FORGET_DELIVERY_DETAILS).execute(Tuple.tuple().addArrayOfString(
                customerIds.toArray(String[]::new))).replaceWithVoid();
    }

    /** Contacts whose profile has arrived (a row made only by an unsubscribe is not a profile). */
    public Uni<Map<String, Contact>> knownContacts(SqlClient client, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return client.preparedQuery(READ_CONTACTS).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .map(NotificationStore::contacts);
    }

    private static Map<String, Contact> contacts(RowSet<Row> rows) {
        Map<String, Contact> contacts = new LinkedHashMap<>();
        for (Row row : rows) {
            // ChannelConsents lists email, sms, push, webhook.
            Contact c = new Contact(row.getString("customer_id"), row.getBoolean("profile_known"),
                    row.getString("email"), row.getString("first_name"), row.getString("locale"),
                    row.getString("time_zone"), new ChannelConsents(row.getBoolean("email_consent"),
                    row.getBoolean("sms_consent"), row.getBoolean("push_consent"), row.getBoolean("webhook_consent")),
                    instant(row, "unsubscribed_at"), row.getBoolean("erased"));
            contacts.put(c.customerId(), c);
        }
        return contacts;
    }

    public Uni<Void> saveContacts(SqlConnection tx, Collection<Contact> contacts) {
        if (contacts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_CONTACTS).execute(CONTACT.arrays(contacts)).replaceWithVoid();
    }

    public Uni<Void> unsubscribe(SqlClient client, String customerId, Instant at) {
        return client.preparedQuery(UNSUBSCRIBE).execute(Tuple.of(customerId, timestamp(at))).replaceWithVoid();
    }

    // ---- notifications ----

    public Uni<Void> insertNotifications(SqlConnection tx, List<NewNotification> notifications) {
        if (notifications.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(INSERT_NOTIFICATIONS).execute(NEW_NOTIFICATION.arrays(notifications))
                .replaceWithVoid();
    }

    /**
     * Claims due notifications for sending (autocommitted): they leave the due range until {@code leaseUntil}, so
     * another dispatcher takes them only if this one died meanwhile. Service messages first, then marketing, each
     * oldest due first: a marketing wave does not hold back a delay apology.
     */
    public Uni<List<PendingNotification>> claimDue(SqlClient client, Instant now, int limit, Instant leaseUntil) {
        return client.preparedQuery(CLAIM_DUE).execute(Tuple.of(timestamp(now), limit, timestamp(leaseUntil)))
                .map(rows -> {
                    List<PendingNotification> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new PendingNotification(row.getString("notification_id"),
                                row.getString("customer_id"), row.getString("channel"),
                                trigger((JsonObject) row.getValue("trigger")), instant(row, "created_at"),
                                row.getInteger("attempts"), row.getString("held_reason"),
                                instant(row, "held_since")));
                    }
                    return claimed;
                });
    }

    public Uni<Map<String, Integer>> marketingSentSince(SqlClient client, Collection<String> customerIds,
                                                       Instant since) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return client.preparedQuery(MARKETING_SENT).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds))
                .addOffsetDateTime(timestamp(since))).map(rows -> {
                    Map<String, Integer> sent = new HashMap<>();
                    rows.forEach(row -> sent.put(row.getString("customer_id"), row.getLong("sent").intValue()));
                    return sent;
                });
    }

    public Uni<Void> saveOutcomes(SqlConnection tx, List<Recorded> outcomes) {
        if (outcomes.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_OUTCOMES).execute(OUTCOME.arrays(outcomes)).replaceWithVoid();
    }

    public Uni<List<HistoryEntry>> history(SqlClient client, String customerId, int limit) {
        return client.preparedQuery(HISTORY).execute(Tuple.of(customerId, limit)).map(rows -> {
            List<HistoryEntry> entries = new ArrayList<>();
            for (Row row : rows) {
                entries.add(new HistoryEntry(row.getString("notification_id"), row.getString("trigger_id"),
                        row.getString("trigger_type"), row.getString("channel"), row.getString("state"),
                        row.getString("reason"), row.getString("locale"), row.getInteger("attempts"),
                        instant(row, "created_at"), instant(row, "sent_at")));
            }
            return entries;
        });
    }

    private static String json(TriggerFired trigger) {
        try {
            return ContractJson.mapper().writeValueAsString(trigger);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a decoded trigger always serialises", e);
        }
    }

    private static TriggerFired trigger(JsonObject json) {
        try {
            return ContractJson.mapper().readValue(json.encode(), TriggerFired.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored trigger unreadable", e);
        }
    }
}
