package dev.retention.campaigns.domain;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rows a batch works on, loaded up front: customers (locked), their orders and shipment timers. New orders and
 * timers are created on first mention. Only rows that are new or changed are written back: most events change one
 * row of one kind, and writing unchanged rows costs the database more than comparing them costs here.
 */
public class CampaignState {

    private final Map<String, CustomerState> customers;
    private final Map<String, OrderState> orders;
    private final Map<String, ShipmentTimer> timers;
    private final Map<String, OrderState> touchedOrders = new LinkedHashMap<>();
    private final Map<String, ShipmentTimer> touchedTimers = new LinkedHashMap<>();
    private final Map<String, Object> loadedFingerprints = new HashMap<>();

    public CampaignState(Map<String, CustomerState> customers, Map<String, OrderState> orders,
                         Map<String, ShipmentTimer> timers) {
        this.customers = customers;
        this.orders = new HashMap<>(orders);
        this.timers = new HashMap<>(timers);
        customers.forEach((id, c) -> loadedFingerprints.put("c:" + id, c.fingerprint()));
        orders.forEach((id, o) -> loadedFingerprints.put("o:" + id, o.fingerprint()));
        timers.forEach((id, t) -> loadedFingerprints.put("t:" + id, t.fingerprint()));
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

    public List<CustomerState> changedCustomers() {
        return customers.values().stream().filter(c -> changed("c:" + c.customerId, c.fingerprint())).toList();
    }

    public List<OrderState> changedOrders() {
        return touchedOrders.values().stream().filter(o -> changed("o:" + o.orderId, o.fingerprint())).toList();
    }

    public List<ShipmentTimer> changedTimers() {
        return touchedTimers.values().stream().filter(t -> changed("t:" + t.shipmentId, t.fingerprint())).toList();
    }

    private boolean changed(String key, Object fingerprint) {
        return !fingerprint.equals(loadedFingerprints.get(key));
    }
}
