package dev.retention.campaigns.domain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The rows a batch works on, loaded up front: customers (locked), their orders and shipment timers. New orders and
 * timers are created on first mention; {@link #touchedOrders()} and {@link #touchedTimers()} are what to save.
 */
public class CampaignState {

    private final Map<String, CustomerState> customers;
    private final Map<String, OrderState> orders;
    private final Map<String, ShipmentTimer> timers;
    private final Map<String, OrderState> touchedOrders = new LinkedHashMap<>();
    private final Map<String, ShipmentTimer> touchedTimers = new LinkedHashMap<>();

    public CampaignState(Map<String, CustomerState> customers, Map<String, OrderState> orders,
                         Map<String, ShipmentTimer> timers) {
        this.customers = customers;
        this.orders = new HashMap<>(orders);
        this.timers = new HashMap<>(timers);
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
        OrderState order = orders.computeIfAbsent(orderId, id -> new OrderState(id, customerId));
        if (!order.customerId.equals(customerId)) {
            throw new CampaignRejectedException("order " + orderId + " belongs to another customer");
        }
        touchedOrders.put(orderId, order);
        return order;
    }

    public ShipmentTimer timer(String shipmentId, String orderId, String customerId) {
        ShipmentTimer timer = timers.computeIfAbsent(shipmentId, id -> new ShipmentTimer(id, orderId, customerId));
        if (!timer.customerId.equals(customerId) || !timer.orderId.equals(orderId)) {
            throw new CampaignRejectedException("shipment " + shipmentId + " belongs to another order or customer");
        }
        touchedTimers.put(shipmentId, timer);
        return timer;
    }

    public Iterable<OrderState> touchedOrders() {
        return touchedOrders.values();
    }

    public Iterable<ShipmentTimer> touchedTimers() {
        return touchedTimers.values();
    }
}
