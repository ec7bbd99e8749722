package dev.retention.campaigns.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.util.Objects;

/** The delivery promise of one shipment: open until delivered, failed, or apologised for; due at {@code dueAt}. */
public class ShipmentTimer {

    public enum State { NEW, OPEN, DELIVERED, FAILED, APOLOGISED }

    private final String shipmentId;
    private final String orderId;
    private final String customerId;
    private State state = State.NEW;
    private LocalDate promisedDate;
    private Instant dueAt;
    /** The {@code shipment.dispatched} that set the timer. */
    private String dispatchEventId;
    private boolean changed;

    /** A timer as stored, or not stored yet and unchanged so far. */
    public ShipmentTimer(String shipmentId, String orderId, String customerId) {
        this.shipmentId = shipmentId;
        this.orderId = orderId;
        this.customerId = customerId;
    }

    /** A shipment mentioned for the first time: its row is written even if nothing else changes. */
    public static ShipmentTimer firstMentioned(String shipmentId, String orderId, String customerId) {
        ShipmentTimer timer = new ShipmentTimer(shipmentId, orderId, customerId);
        timer.changed = true;
        return timer;
    }

    /** As stored. */
    public static ShipmentTimer stored(String shipmentId, String orderId, String customerId, State state,
                                       LocalDate promisedDate, Instant dueAt, String dispatchEventId) {
        ShipmentTimer timer = new ShipmentTimer(shipmentId, orderId, customerId);
        timer.state = state;
        timer.promisedDate = promisedDate;
        timer.dueAt = dueAt;
        timer.dispatchEventId = dispatchEventId;
        return timer;
    }

    /** Dispatched: open, and due at {@code due} (null when no apology will be due). */
    public void open(LocalDate promised, String dispatchedBy, Instant due) {
        state = changing(state, State.OPEN);
        promisedDate = changing(promisedDate, promised);
        dispatchEventId = changing(dispatchEventId, dispatchedBy);
        dueAt = changing(dueAt, due);
    }

    /** Delivered, failed or apologised for: never due again. */
    public void close(State closed) {
        state = changing(state, closed);
        dueAt = changing(dueAt, null);
    }

    /** Since it was loaded, or ever when new. */
    public boolean changed() {
        return changed;
    }

    private <T> T changing(T from, T to) {
        changed |= !Objects.equals(from, to);
        return to;
    }

    public String shipmentId() {
        return shipmentId;
    }

    public String orderId() {
        return orderId;
    }

    public String customerId() {
        return customerId;
    }

    public State state() {
        return state;
    }

    public LocalDate promisedDate() {
        return promisedDate;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public String dispatchEventId() {
        return dispatchEventId;
    }
}
