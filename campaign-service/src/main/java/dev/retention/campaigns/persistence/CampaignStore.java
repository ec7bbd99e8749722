package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.ShipmentTimer;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
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

    private static final String CUSTOMER_COLUMNS = """
            customer_id, profile_known, profile_event_id, time_zone, birth_date, marketing_consent, tier, order_count,
            first_order_id, last_order_at, last_order_event_id, lifetime_spend, referral_code, birthday_offer_at,
            birthday_year, win_back_step, win_back_due_at, referral_waiting_event_id""";
    private static final String OPEN_CUSTOMERS = """
            INSERT INTO campaign_customer (customer_id) SELECT unnest($1::text[]) ON CONFLICT DO NOTHING""";
    private static final String LOCK_CUSTOMERS = "SELECT " + CUSTOMER_COLUMNS
            + " FROM campaign_customer WHERE customer_id IN (SELECT unnest($1::text[]))"
            + " ORDER BY customer_id FOR UPDATE";
    private static final String TRY_LOCK_CUSTOMERS = LOCK_CUSTOMERS + " SKIP LOCKED";
    private static final String SAVE_CUSTOMERS = """
            UPDATE campaign_customer c SET profile_known = u.profile_known, profile_event_id = u.profile_event_id,
                   time_zone = u.time_zone, birth_date = u.birth_date, marketing_consent = u.marketing_consent,
                   tier = u.tier, order_count = u.order_count, first_order_id = u.first_order_id,
                   last_order_at = u.last_order_at, last_order_event_id = u.last_order_event_id,
                   lifetime_spend = u.lifetime_spend, referral_code = u.referral_code,
                   birthday_offer_at = u.birthday_offer_at, birthday_year = u.birthday_year,
                   win_back_step = u.win_back_step, win_back_due_at = u.win_back_due_at,
                   referral_waiting_event_id = u.referral_waiting_event_id
            FROM unnest($1::text[], $2::boolean[], $3::text[], $4::text[], $5::date[], $6::boolean[], $7::text[],
                        $8::int[], $9::text[], $10::timestamptz[], $11::text[], $12::numeric[], $13::text[],
                        $14::timestamptz[], $15::int[], $16::int[], $17::timestamptz[], $18::text[])
                 AS u(""" + CUSTOMER_COLUMNS + """
            ) WHERE c.customer_id = u.customer_id""";
    private static final String ORDER_COLUMNS = """
            order_id, customer_id, status, currency, first_order, value, refunded, delivered_at, delivered_event_id,
            review_request_due_at, reviewed""";
    private static final String LOAD_ORDERS = "SELECT " + ORDER_COLUMNS
            + " FROM campaign_order WHERE order_id IN (SELECT unnest($1::text[]))";
    private static final String SAVE_ORDERS = "INSERT INTO campaign_order (" + ORDER_COLUMNS + """
            ) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::boolean[], $6::numeric[],
                                 $7::numeric[], $8::timestamptz[], $9::text[], $10::timestamptz[], $11::boolean[])
            ON CONFLICT (order_id) DO UPDATE SET status = excluded.status, currency = excluded.currency,
                   first_order = excluded.first_order, value = excluded.value, refunded = excluded.refunded,
                   delivered_at = excluded.delivered_at, delivered_event_id = excluded.delivered_event_id,
                   review_request_due_at = excluded.review_request_due_at, reviewed = excluded.reviewed""";
    private static final String TIMER_COLUMNS =
            "shipment_id, order_id, customer_id, state, promised_date, due_at, dispatch_event_id";
    private static final String LOAD_TIMERS = "SELECT " + TIMER_COLUMNS
            + " FROM shipment_timer WHERE shipment_id IN (SELECT unnest($1::text[]))";
    private static final String SAVE_TIMERS = "INSERT INTO shipment_timer (" + TIMER_COLUMNS + """
            ) SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::date[], $6::timestamptz[],
                                 $7::text[])
            ON CONFLICT (shipment_id) DO UPDATE SET state = excluded.state, promised_date = excluded.promised_date,
                   due_at = excluded.due_at, dispatch_event_id = excluded.dispatch_event_id""";

    // The due queries return whole rows: the job needs them and has locked them already.
    private static final String DUE_TIMERS = "SELECT " + TIMER_COLUMNS + " FROM shipment_timer"
            + " WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String DUE_REVIEW_REQUESTS = "SELECT " + ORDER_COLUMNS + " FROM campaign_order"
            + " WHERE review_request_due_at <= $1 ORDER BY review_request_due_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String DUE_BIRTHDAYS = "SELECT " + CUSTOMER_COLUMNS + " FROM campaign_customer"
            + " WHERE birthday_offer_at <= $1 ORDER BY birthday_offer_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String DUE_WIN_BACKS = "SELECT " + CUSTOMER_COLUMNS + " FROM campaign_customer"
            + " WHERE win_back_due_at <= $1 ORDER BY win_back_due_at LIMIT $2 FOR UPDATE SKIP LOCKED";
    private static final String SEGMENT_MEMBERS = """
            SELECT customer_id FROM campaign_customer
            WHERE customer_id > $1 AND ($2::text[] IS NULL OR tier = ANY($2::text[]))
              AND ($3::timestamptz IS NULL OR last_order_at <= $3)
              AND ($4::numeric IS NULL OR lifetime_spend >= $4)
            ORDER BY customer_id LIMIT $5""";

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
                    .build();
            customers.put(c.customerId(), c);
        }
        return customers;
    }

    public Uni<Void> saveCustomers(SqlConnection tx, Collection<CustomerState> customers) {
        if (customers.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = customers.size();
        String[] ids = new String[n], profileEvents = new String[n], zones = new String[n], tiers = new String[n],
                firstOrders = new String[n], lastOrderEvents = new String[n], referralCodes = new String[n],
                referralWaiting = new String[n];
        Boolean[] known = new Boolean[n], consent = new Boolean[n];
        LocalDate[] birthDates = new LocalDate[n];
        Integer[] orderCounts = new Integer[n], birthdayYears = new Integer[n], winBackSteps = new Integer[n];
        OffsetDateTime[] lastOrders = new OffsetDateTime[n], birthdays = new OffsetDateTime[n],
                winBacks = new OffsetDateTime[n];
        BigDecimal[] spend = new BigDecimal[n];
        int i = 0;
        for (CustomerState c : customers) {
            ids[i] = c.customerId();
            known[i] = c.profileKnown();
            profileEvents[i] = c.profileEventId();
            zones[i] = c.timeZone();
            birthDates[i] = c.birthDate();
            consent[i] = c.marketingConsent();
            tiers[i] = c.tier();
            orderCounts[i] = c.orderCount();
            firstOrders[i] = c.firstOrderId();
            lastOrders[i] = timestamp(c.lastOrderAt());
            lastOrderEvents[i] = c.lastOrderEventId();
            spend[i] = c.lifetimeSpend();
            referralCodes[i] = c.referralCode();
            birthdays[i] = timestamp(c.birthdayOfferAt());
            birthdayYears[i] = c.birthdayYear();
            winBackSteps[i] = c.winBackStep();
            winBacks[i] = timestamp(c.winBackDueAt());
            referralWaiting[i] = c.referralWaitingEventId();
            i++;
        }
        Tuple params = Tuple.tuple().addArrayOfString(ids).addArrayOfBoolean(known).addArrayOfString(profileEvents)
                .addArrayOfString(zones).addArrayOfLocalDate(birthDates).addArrayOfBoolean(consent)
                .addArrayOfString(tiers).addArrayOfInteger(orderCounts).addArrayOfString(firstOrders)
                .addArrayOfOffsetDateTime(lastOrders).addArrayOfString(lastOrderEvents).addArrayOfBigDecimal(spend)
                .addArrayOfString(referralCodes).addArrayOfOffsetDateTime(birthdays).addArrayOfInteger(birthdayYears)
                .addArrayOfInteger(winBackSteps).addArrayOfOffsetDateTime(winBacks).addArrayOfString(referralWaiting);
        return tx.preparedQuery(SAVE_CUSTOMERS).execute(params).replaceWithVoid();
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

    public Uni<Void> saveOrders(SqlConnection tx, Iterable<OrderState> orders) {
        List<OrderState> list = new ArrayList<>();
        orders.forEach(list::add);
        if (list.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = list.size();
        String[] ids = new String[n], customers = new String[n], statuses = new String[n], currencies = new String[n],
                deliveredEvents = new String[n];
        Boolean[] first = new Boolean[n], reviewed = new Boolean[n];
        BigDecimal[] values = new BigDecimal[n], refunded = new BigDecimal[n];
        OffsetDateTime[] delivered = new OffsetDateTime[n], reviewDue = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            OrderState o = list.get(i);
            ids[i] = o.orderId();
            customers[i] = o.customerId();
            statuses[i] = o.status().name();
            currencies[i] = o.currency();
            first[i] = o.firstOrder();
            values[i] = o.value();
            refunded[i] = o.refunded();
            delivered[i] = timestamp(o.deliveredAt());
            deliveredEvents[i] = o.deliveredEventId();
            reviewDue[i] = timestamp(o.reviewRequestDueAt());
            reviewed[i] = o.reviewed();
        }
        return tx.preparedQuery(SAVE_ORDERS).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(customers)
                .addArrayOfString(statuses).addArrayOfString(currencies).addArrayOfBoolean(first)
                .addArrayOfBigDecimal(values).addArrayOfBigDecimal(refunded).addArrayOfOffsetDateTime(delivered)
                .addArrayOfString(deliveredEvents).addArrayOfOffsetDateTime(reviewDue).addArrayOfBoolean(reviewed))
                .replaceWithVoid();
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

    public Uni<Void> saveTimers(SqlConnection tx, Iterable<ShipmentTimer> timers) {
        List<ShipmentTimer> list = new ArrayList<>();
        timers.forEach(list::add);
        if (list.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        int n = list.size();
        String[] ids = new String[n], orders = new String[n], customers = new String[n], states = new String[n],
                dispatchEvents = new String[n];
        LocalDate[] promised = new LocalDate[n];
        OffsetDateTime[] due = new OffsetDateTime[n];
        for (int i = 0; i < n; i++) {
            ShipmentTimer t = list.get(i);
            ids[i] = t.shipmentId();
            orders[i] = t.orderId();
            customers[i] = t.customerId();
            states[i] = t.state().name();
            promised[i] = t.promisedDate();
            due[i] = timestamp(t.dueAt());
            dispatchEvents[i] = t.dispatchEventId();
        }
        return tx.preparedQuery(SAVE_TIMERS).execute(Tuple.tuple().addArrayOfString(ids).addArrayOfString(orders)
                .addArrayOfString(customers).addArrayOfString(states).addArrayOfLocalDate(promised)
                .addArrayOfOffsetDateTime(due).addArrayOfString(dispatchEvents)).replaceWithVoid();
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
    public Uni<List<String>> segmentMembers(SqlConnection tx, String cursor, String[] tiers, Instant inactiveSince,
                                            BigDecimal minLifetimeSpend, int limit) {
        return tx.preparedQuery(SEGMENT_MEMBERS).execute(Tuple.tuple().addString(cursor).addArrayOfString(tiers)
                .addOffsetDateTime(timestamp(inactiveSince)).addBigDecimal(minLifetimeSpend).addInteger(limit))
                .map(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(row -> ids.add(row.getString("customer_id")));
                    return ids;
                });
    }
}
