package dev.retention.campaigns.domain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a batch works on, loaded up front: customers (locked), their orders, shipment timers and carts (those the
 * batch names, and the open ones of customers it erases). New orders, timers and carts are created on first mention. Only rows that are new or changed are written back: most events change one
 * row of one kind, and writing unchanged rows costs the database more than keeping track of changes costs here.
 */
public class CampaignState {

    private final Map<String, CustomerState> customers;
    private final Map<String, OrderState> orders;
    private final Map<String, ShipmentTimer> timers;
    private final Map<String, OrderState> touchedOrders = new LinkedHashMap<>();
    private final Map<String, ShipmentTimer> touchedTimers = new LinkedHashMap<>();
    private final Map<String, CartTimer> carts;
    private final Map<String, CartTimer> touchedCarts = new LinkedHashMap<>();

    /** The rows as loaded: unchanged so far. */
    public CampaignState(Map<String, CustomerState> customers, Map<String, OrderState> orders,
                         Map<String, ShipmentTimer> timers) {
        this(customers, orders, timers, Map.of());
    }

    /** The rows as loaded, with carts: unchanged so far. */
    public CampaignState(Map<String, CustomerState> customers, Map<String, OrderState> orders,
                         Map<String, ShipmentTimer> timers, Map<String, CartTimer> carts) {
        this.customers = customers;
        this.orders = new HashMap<>(orders);
        this.timers = new HashMap<>(timers);
        this.carts = new LinkedHashMap<>(carts);
    }

    public CustomerState customer(String customerId) {
        CustomerState customer = customers.get(customerId);
        if (customer == null) {
            throw new IllegalStateException("customer " + customerId + " was not loaded");
        }
        return customer;
    }

    public Map<String, CustomerState> customers() {
        return customers;
    }

    public OrderState order(String orderId, String customerId) {
        OrderState order = orders.computeIfAbsent(orderId, id -> OrderState.firstMentioned(id, customerId));
        if (!order.customerId().equals(customerId)) {
            throw new CampaignRejectedException("order " + orderId + " belongs to another customer");
        }
        touchedOrders.put(orderId, order);
        return order;
    }

    /** The order as loaded or as the rules left it so far, without touching it (null: not known). */
    public OrderState knownOrder(String orderId) {
        return orders.get(orderId);
    }

    public ShipmentTimer timer(String shipmentId, String orderId, String customerId) {
        ShipmentTimer timer = timers.computeIfAbsent(shipmentId,
                id -> ShipmentTimer.firstMentioned(id, orderId, customerId));
        if (!timer.customerId().equals(customerId) || !timer.orderId().equals(orderId)) {
            throw new CampaignRejectedException("shipment " + shipmentId + " belongs to another order or customer");
        }
        touchedTimers.put(shipmentId, timer);
        return timer;
    }

    public CartTimer cart(String cartId, String customerId) {
        CartTimer cart = carts.computeIfAbsent(cartId, id -> CartTimer.firstMentioned(id, customerId));
        if (!cart.customerId().equals(customerId)) {
            throw new CampaignRejectedException("cart " + cartId + " belongs to another customer");
        }
        touchedCarts.put(cartId, cart);
        return cart;
    }

    /** The customer's carts loaded for this batch (for an erasure: every cart not closed yet). */
    public List<CartTimer> cartsOf(String customerId) {
        List<CartTimer> of = carts.values().stream().filter(cart -> cart.customerId().equals(customerId)).toList();
        of.forEach(cart -> touchedCarts.put(cart.cartId(), cart));
        return of;
    }

    public List<CartTimer> changedCarts() {
        return touchedCarts.values().stream().filter(CartTimer::changed).toList();
    }

    public List<CustomerState> changedCustomers() {
        return customers.values().stream().filter(CustomerState::changed).toList();
    }

    public List<OrderState> changedOrders() {
        return touchedOrders.values().stream().filter(OrderState::changed).toList();
    }

    public List<ShipmentTimer> changedTimers() {
        return touchedTimers.values().stream().filter(ShipmentTimer::changed).toList();
    }
}
