package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.Segment;
import dev.retention.campaigns.domain.SegmentSize;
import dev.retention.campaigns.domain.ShipmentTimer;
import dev.retention.campaigns.domain.TriggerGuards;
import dev.retention.eventing.ColumnBinder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
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

/**
 * Customers, orders and shipment timers, a batch at a time. Every write to a customer's rows happens while its
 * {@code campaign_customer} row is locked: the consumer waits for those locks (in key order), the jobs take them
 * with SKIP LOCKED and never wait, so the two cannot deadlock and the frequency cap sees every trigger.
 */
@ApplicationScoped
public class CampaignStore {

    /** {@code campaign_customer}: every column, read by the locking queries and written back by the save. */
    private static final ColumnBinder<CustomerState> CUSTOMERS = ColumnBinder.<CustomerState>builder()
            .text("customer_id", CustomerState::customerId)
            .bool("profile_known", CustomerState::profileKnown)
            .text("profile_event_id", CustomerState::profileEventId)
            .text("time_zone", CustomerState::timeZone)
            .date("birth_date", CustomerState::birthDate)
            .bool("marketing_consent", CustomerState::marketingConsent)
            .text("tier", CustomerState::tier)
            .integer("order_count", CustomerState::orderCount)
            .text("first_order_id", CustomerState::firstOrderId)
            .timestamptz("last_order_at", CustomerState::lastOrderAt)
            .text("last_order_event_id", CustomerState::lastOrderEventId)
            .numeric("lifetime_spend", CustomerState::lifetimeSpend)
            .text("referral_code", CustomerState::referralCode)
            .timestamptz("birthday_offer_at", CustomerState::birthdayOfferAt)
            .integer("birthday_year", CustomerState::birthdayYear)
            .integer("win_back_step", CustomerState::winBackStep)
            .timestamptz("win_back_due_at", CustomerState::winBackDueAt)
            .text("referral_waiting_event_id", CustomerState::referralWaitingEventId)
            .bool("erased", CustomerState::erased)
            .build();
    private static final ColumnBinder<OrderState> ORDERS = ColumnBinder.<OrderState>builder()
            .text("order_id", OrderState::orderId)
            .text("customer_id", OrderState::customerId)
            .text("status", order -> order.status().name())
            .text("currency", OrderState::currency)
            .bool("first_order", OrderState::firstOrder)
            .numeric("value", OrderState::value)
            .numeric("refunded", OrderState::refunded)
            .timestamptz("delivered_at", OrderState::deliveredAt)
            .text("delivered_event_id", OrderState::deliveredEventId)
            .timestamptz("review_request_due_at", OrderState::reviewRequestDueAt)
            .bool("reviewed", OrderState::reviewed)
            .build();
    private static final ColumnBinder<ShipmentTimer> TIMERS = ColumnBinder.<ShipmentTimer>builder()
            .text("shipment_id", ShipmentTimer::shipmentId)
            .text("order_id", ShipmentTimer::orderId)
            .text("customer_id", ShipmentTimer::customerId)
            .text("state", timer -> timer.state().name())
            .date("promised_date", ShipmentTimer::promisedDate)
            .timestamptz("due_at", ShipmentTimer::dueAt)
            .text("dispatch_event_id", ShipmentTimer::dispatchEventId)
            .build();

    private static final String OPEN_CUSTOMERS = """
            INSERT INTO campaign_customer (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING""";
    private static final String LOCK_CUSTOMERS = "SELECT " + CUSTOMERS.names()
            + " FROM campaign_customer WHERE customer_id IN (SELECT unnest($1::text[]))"
            + " ORDER BY customer_id FOR UPDATE";
    private static final String TRY_LOCK_CUSTOMERS = LOCK_CUSTOMERS + " SKIP LOCKED";
    private static final String SAVE_CUSTOMERS = CUSTOMERS.updateByKey("campaign_customer", "customer_id");
    private static final String LOAD_ORDERS = "SELECT " + ORDERS.names()
            + " FROM campaign_order WHERE order_id IN (SELECT unnest($1::text[]))";
    // An order's customer never changes (CampaignState refuses an order of another customer).
    private static final String SAVE_ORDERS = ORDERS.insertInto("campaign_order")
            + " ON CONFLICT (order_id) DO UPDATE SET " + ORDERS.assignments("excluded", "order_id", "customer_id");
    private static final String LOAD_TIMERS = "SELECT " + TIMERS.names()
            + " FROM shipment_timer WHERE shipment_id IN (SELECT unnest($1::text[]))";
    private static final String SAVE_TIMERS = TIMERS.insertInto("shipment_timer")
            + " ON CONFLICT (shipment_id) DO UPDATE SET "
            + TIMERS.assignments("excluded", "shipment_id", "order_id", "customer_id");

    // The due queries return whole rows: the job needs them and has locked them already.
    private static final String DUE_TIMERS = "SELECT " + TIMERS.names() + " FROM shipment_timer"
            + " WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String DUE_REVIEW_REQUESTS = "SELECT " + ORDERS.names() + " FROM campaign_order"
            + " WHERE review_request_due_at <= $1 ORDER BY review_request_due_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String DUE_BIRTHDAYS = "SELECT " + CUSTOMERS.names() + " FROM campaign_customer"
            + " WHERE birthday_offer_at <= $1 ORDER BY birthday_offer_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String DUE_WIN_BACKS = "SELECT " + CUSTOMERS.names() + " FROM campaign_customer"
            + " WHERE win_back_due_at <= $1 ORDER BY win_back_due_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    /**
     * Who a segment is, written once for the campaign job and the segment size: $1 the tiers (null: any), $2 the
     * last order at or before (null: inactivity does not matter), $3 the minimum lifetime spend (null: any). The same
     * rule as {@link Segment#matches}, which the job checks again under the customer's lock.
     */
    private static final String IN_SEGMENT = """
            ($1::text[] IS NULL OR tier = ANY($1::text[]))
              AND ($2::timestamptz IS NULL OR last_order_at <= $2)
              AND ($3::numeric IS NULL OR lifetime_spend >= $3)""";
    private static final String SEGMENT_MEMBERS = "SELECT customer_id FROM campaign_customer WHERE " + IN_SEGMENT
            + " AND customer_id > $4 ORDER BY customer_id LIMIT $5";
    /**
     * How the guards would decide a marketing trigger for each member now ({@link TriggerGuards#decide}, in its
     * order): no consent; else held out ($4 the salt, $5 the share: {@link TriggerGuards#inHoldout}'s hash, the top
     * 53 bits of SHA-256 over "salt:customerId", below share x 2^53); else capped ($8 or more fired marketing
     * triggers with business times in ($6, $7], the window {@code TriggerStore.firedBetween} reads for the job).
     * One statement; the members come through campaign_customer_segment, each one's cap through
     * trigger_log_fired_marketing.
     */
    private static final String SEGMENT_SIZE = """
            WITH member AS (
                SELECT customer_id, marketing_consent FROM campaign_customer WHERE %s),
            consenting AS (
                SELECT customer_id,
                       (('x' || substr(encode(sha256(convert_to($4::text || ':' || customer_id, 'UTF8')),
                                                  'hex'), 1, 14))::bit(56)::bigint >> 3)
                           < $5::numeric * 9007199254740992 AS held_out
                FROM member WHERE marketing_consent)
            SELECT (SELECT count(*) FROM member) AS in_segment,
                   (SELECT count(*) FROM member WHERE NOT marketing_consent) AS without_consent,
                   (SELECT count(*) FROM consenting WHERE held_out) AS held_out,
                   (SELECT count(*) FROM consenting c WHERE NOT held_out
                      AND (SELECT count(*) FROM trigger_log t WHERE t.customer_id = c.customer_id
                             AND t.marketing AND t.outcome = 'FIRED'
                             AND t.business_time > $6 AND t.business_time <= $7) >= $8) AS capped
            """.formatted(IN_SEGMENT);

    // ---- customers ----

    /** Creates missing customers, then locks all of them in key order (waits for other holders). */
    public Uni<Map<String, CustomerState>> lockOrOpenCustomers(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        Tuple ids = Tuple.tuple().addArrayOfString(sortedKeys(customerIds));
        return tx.preparedQuery(OPEN_CUSTOMERS).execute(ids)
                .chain(() -> tx.preparedQuery(LOCK_CUSTOMERS).execute(ids)).map(CampaignStore::customers);
    }

    /** Locks the customers no other transaction holds; the others are left for a later run. */
    public Uni<Map<String, CustomerState>> tryLockCustomers(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(TRY_LOCK_CUSTOMERS).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .map(CampaignStore::customers);
    }

    /** Locks existing customers in key order, waiting for other holders (segment campaigns). */
    public Uni<Map<String, CustomerState>> lockCustomers(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOCK_CUSTOMERS).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .map(CampaignStore::customers);
    }

    private static Map<String, CustomerState> customers(RowSet<Row> rows) {
        Map<String, CustomerState> customers = new LinkedHashMap<>();
        for (Row row : rows) {
            CustomerState c = CustomerState.stored(row.getString("customer_id"))
                    .profile(row.getBoolean("profile_known"), row.getString("profile_event_id"),
                            row.getString("time_zone"), row.getLocalDate("birth_date"),
                            row.getBoolean("marketing_consent"))
                    .tier(row.getString("tier"))
                    .orders(row.getInteger("order_count"), row.getString("first_order_id"),
                            instant(row, "last_order_at"), row.getString("last_order_event_id"),
                            row.getBigDecimal("lifetime_spend"))
                    .referral(row.getString("referral_code"), row.getString("referral_waiting_event_id"))
                    .birthday(instant(row, "birthday_offer_at"), row.getInteger("birthday_year"))
                    .winBack(row.getInteger("win_back_step"), instant(row, "win_back_due_at"))
                    .erased(row.getBoolean("erased"))
                    .build();
            customers.put(c.customerId(), c);
        }
        return customers;
    }

    public Uni<Void> saveCustomers(SqlConnection tx, Collection<CustomerState> customers) {
        if (customers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_CUSTOMERS).execute(CUSTOMERS.arrays(customers)).replaceWithVoid();
    }

    // ---- orders ----

    /** Reads orders; callers hold the lock of every order's customer. */
    public Uni<Map<String, OrderState>> orders(SqlConnection tx, Collection<String> orderIds) {
        if (orderIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOAD_ORDERS).execute(Tuple.tuple().addArrayOfString(sortedKeys(orderIds)))
                .map(CampaignStore::orders);
    }

    private static Map<String, OrderState> orders(RowSet<Row> rows) {
        Map<String, OrderState> orders = new LinkedHashMap<>();
        for (Row row : rows) {
            OrderState o = OrderState.stored(row.getString("order_id"), row.getString("customer_id"),
                    OrderState.Status.valueOf(row.getString("status")), row.getString("currency"),
                    row.getBoolean("first_order"), row.getBigDecimal("value"), row.getBigDecimal("refunded"),
                    instant(row, "delivered_at"), row.getString("delivered_event_id"),
                    instant(row, "review_request_due_at"), row.getBoolean("reviewed"));
            orders.put(o.orderId(), o);
        }
        return orders;
    }

    public Uni<Void> saveOrders(SqlConnection tx, Collection<OrderState> orders) {
        if (orders.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_ORDERS).execute(ORDERS.arrays(orders)).replaceWithVoid();
    }

    // ---- shipment timers ----

    public Uni<Map<String, ShipmentTimer>> timers(SqlConnection tx, Collection<String> shipmentIds) {
        if (shipmentIds.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOAD_TIMERS).execute(Tuple.tuple().addArrayOfString(sortedKeys(shipmentIds)))
                .map(CampaignStore::timers);
    }

    private static Map<String, ShipmentTimer> timers(RowSet<Row> rows) {
        Map<String, ShipmentTimer> timers = new LinkedHashMap<>();
        for (Row row : rows) {
            ShipmentTimer t = ShipmentTimer.stored(row.getString("shipment_id"), row.getString("order_id"),
                    row.getString("customer_id"), ShipmentTimer.State.valueOf(row.getString("state")),
                    row.getLocalDate("promised_date"), instant(row, "due_at"), row.getString("dispatch_event_id"));
            timers.put(t.shipmentId(), t);
        }
        return timers;
    }

    public Uni<Void> saveTimers(SqlConnection tx, Collection<ShipmentTimer> timers) {
        if (timers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE_TIMERS).execute(TIMERS.arrays(timers)).replaceWithVoid();
    }

    // ---- due rows for the jobs: an indexed range, locked with SKIP LOCKED ----

    /** Shipment timers whose time has come, locked. */
    public Uni<Map<String, ShipmentTimer>> lockDueTimers(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(DUE_TIMERS).execute(Tuple.of(timestamp(now), limit)).map(CampaignStore::timers);
    }

    /** Delivered orders whose review request is due, locked. */
    public Uni<Map<String, OrderState>> lockDueReviewRequests(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(DUE_REVIEW_REQUESTS).execute(Tuple.of(timestamp(now), limit))
                .map(CampaignStore::orders);
    }

    /** Customers whose birthday offer is due, locked. */
    public Uni<Map<String, CustomerState>> lockDueBirthdays(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(DUE_BIRTHDAYS).execute(Tuple.of(timestamp(now), limit))
                .map(CampaignStore::customers);
    }

    /** Customers whose next win-back step is due, locked. */
    public Uni<Map<String, CustomerState>> lockDueWinBacks(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(DUE_WIN_BACKS).execute(Tuple.of(timestamp(now), limit))
                .map(CampaignStore::customers);
    }

    /** The next members of a segment after {@code cursor}, in customer id order (walks the primary key). */
    /** The next members of the segment after {@code cursor}, in key order. */
    public Uni<List<String>> segmentMembers(SqlConnection tx, String cursor, Segment segment, Instant now, int limit) {
        return tx.preparedQuery(SEGMENT_MEMBERS).execute(segmentParameters(segment, now).addString(cursor)
                        .addInteger(limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("customer_id")));
                    return ids;
                });
    }

    /** How many customers a segment offer started {@code now} would reach under {@code guards}, counted. */
    public Uni<SegmentSize> segmentSize(SqlClient client, Segment segment, Instant now, TriggerGuards guards) {
        return client.preparedQuery(SEGMENT_SIZE).execute(segmentParameters(segment, now)
                        .addString(guards.holdoutSalt()).addBigDecimal(guards.holdoutShare())
                        .addOffsetDateTime(timestamp(now.minus(guards.capWindow())))
                        .addOffsetDateTime(timestamp(now)).addLong((long) guards.frequencyCap()))
                .map(rows -> {
                    Row row = rows.iterator().next();
                    return new SegmentSize(row.getLong("in_segment"), row.getLong("without_consent"),
                            row.getLong("held_out"), row.getLong("capped"));
                });
    }

    /** {@link #IN_SEGMENT}'s $1 to $3. */
    private static Tuple segmentParameters(Segment segment, Instant now) {
        return Tuple.tuple()
                .addArrayOfString(segment.tiers() == null ? null : segment.tiers().toArray(String[]::new))
                .addOffsetDateTime(timestamp(segment.inactiveSince(now))).addBigDecimal(segment.minLifetimeSpend());
    }
}
