package dev.retention.points.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.eventing.EventOutbox;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.OrderPoints;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.RuleUsage;
import dev.retention.points.persistence.PointsStore;
import dev.retention.points.persistence.PointsStore.LockedAccounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

/**
 * One transaction's work on the ledger: the accounts and orders it has locked, what the rules changed in them, and
 * the one way all of it is written back (accounts, orders, ledger, erasures, in that order). The consumer, the jobs
 * and the API each lock what they need and apply their rules through it, so they cannot write differently.
 */
final class LedgerWork {

    /** What an erased customer's id becomes in every points table. */
    static final String PSEUDONYM_PREFIX = "erased-";

    private final LockedAccounts accounts;
    private final Map<String, OrderPoints> orders;
    /** The orders that have a row already: written back by an update, the others by an insert. */
    private final Set<String> storedOrders;
    private final Function<String, RuntimeException> orderOfAnotherCustomer;
    private final Map<String, PointsAccount> touchedAccounts = new LinkedHashMap<>();
    private final Map<String, OrderPoints> touchedOrders = new LinkedHashMap<>();
    private final List<LedgerEntry> entries = new ArrayList<>();
    private final List<EventEnvelope<?>> otherEvents = new ArrayList<>();
    /** The earning rules' per-customer totals the work loaded and changed. */
    private RuleUsage ruleUsage = RuleUsage.none();
    /** Erased customer id to the pseudonym their rows take, written after the other changes. */
    private final Map<String, String> pseudonyms = new LinkedHashMap<>();
    /** Customers whose events in this batch changed nothing: no account is opened for them. */
    private final Set<String> unopened = new HashSet<>();

    /**
     * @param orderOfAnotherCustomer the failure for an event or request that names another customer's order: the
     *                               consumer dead-letters the event, the API answers 400
     */
    LedgerWork(LockedAccounts accounts, Map<String, OrderPoints> orders,
               Function<String, RuntimeException> orderOfAnotherCustomer) {
        this.accounts = accounts;
        this.orders = orders;
        this.storedOrders = Set.copyOf(orders.keySet());
        this.orderOfAnotherCustomer = orderOfAnotherCustomer;
    }

    /**
     * Work on rows a job found due and locked: every account and order stored already, and none of the orders can
     * belong to another customer than its row says.
     */
    static LedgerWork of(Map<String, PointsAccount> accounts, Map<String, OrderPoints> orders) {
        return new LedgerWork(LockedAccounts.found(accounts), orders, IllegalStateException::new);
    }

    /** The locked (or opened) account, to be written back; null when the transaction holds none for the customer. */
    PointsAccount account(String customerId) {
        PointsAccount account = accounts.byCustomer().get(customerId);
        if (account != null) {
            touchedAccounts.put(customerId, account);
        }
        return account;
    }

    /** The locked order, or a new one the customer's event is the first to mention; written back either way. */
    OrderPoints order(String orderId, String customerId) {
        OrderPoints order = orders.computeIfAbsent(orderId, id -> OrderPoints.unknown(id, customerId));
        if (!order.customerId().equals(customerId)) {
            throw orderOfAnotherCustomer.apply("order " + orderId + " belongs to another customer");
        }
        touchedOrders.put(orderId, order);
        return order;
    }

    /**
     * An order as this batch holds it (locked from the database, or made by an earlier event of the batch), without
     * marking it written; null when it is not held.
     */
    OrderPoints lockedOrder(String orderId) {
        return orders.get(orderId);
    }

    /** The rules' totals the work holds locked (through the accounts), written back with it. */
    void countRuleUsage(RuleUsage usage) {
        this.ruleUsage = usage;
    }

    void record(LedgerEntry entry) {
        entries.add(entry);
    }

    void record(Optional<LedgerEntry> entry) {
        entry.ifPresent(entries::add);
    }

    void record(List<LedgerEntry> more) {
        entries.addAll(more);
    }

    /** An event besides the ledger's {@code points.changed}, published ahead of them. */
    void publish(EventEnvelope<?> event) {
        otherEvents.add(event);
    }

    /**
     * The customer's event changed nothing (an order placed before, seen again): it opens no account, so that a
     * replay after the customer's erasure brings no row with their id back.
     */
    void leaveUnopened(String customerId) {
        unopened.add(customerId);
    }

    /** The customer's rows take a random pseudonym: the ledger keeps its numbers, nothing leads back to them. */
    void erase(String customerId) {
        pseudonyms.putIfAbsent(customerId, PSEUDONYM_PREFIX + UUID.randomUUID());
    }

    List<LedgerEntry> entries() {
        return entries;
    }

    /** How many accounts the transaction holds, whether it changed them or not. */
    int accountsHeld() {
        return accounts.byCustomer().size();
    }

    /** {@link #save}, and what to publish into the outbox: for writers outside the consumer's batches. */
    Uni<Void> saveAndPublish(SqlConnection tx, PointsStore store, EventOutbox outbox, String actor) {
        return save(tx, store, actor).chain(events -> outbox.write(tx, events));
    }

    /**
     * Writes back what changed and returns what to publish: the other events, then one {@code points.changed} per
     * ledger entry. {@code actor} is who made the entries by hand, or for the customer on their behalf (null for
     * the rules and the customer's own requests).
     */
    Uni<List<EventEnvelope<?>>> save(SqlConnection tx, PointsStore store, String actor) {
        return store.saveAccounts(tx, accounts.toWrite(touchedAccounts, unopened), accounts.stored())
                .chain(() -> store.saveOrders(tx, touchedOrders.values(), storedOrders))
                .chain(() -> store.appendLedger(tx, entries, actor))
                .chain(() -> store.saveRuleUsage(tx, ruleUsage))
                .chain(() -> store.pseudonymise(tx, pseudonyms))
                .map(x -> eventsToPublish());
    }

    private List<EventEnvelope<?>> eventsToPublish() {
        List<EventEnvelope<?>> events = new ArrayList<>(otherEvents.size() + entries.size());
        events.addAll(otherEvents);
        events.addAll(PointsEvents.toEvents(entries));
        return events;
    }
}
