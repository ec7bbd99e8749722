package dev.retention.campaigns.domain;

import java.time.Instant;
import java.time.LocalDate;

/** The delivery promise of one shipment: open until delivered, failed, or apologised for; due at {@code dueAt}. */
public class ShipmentTimer {

    public enum State { NEW, OPEN, DELIVERED, FAILED, APOLOGISED }

    public final String shipmentId;
    public final String orderId;
    public final String customerId;
    public State state = State.NEW;
    public LocalDate promisedDate;
    public Instant dueAt;
    /** The {@code shipment.dispatched} that set the timer. */
    public String dispatchEventId;

    public ShipmentTimer(String shipmentId, String orderId, String customerId) {
        this.shipmentId = shipmentId;
        this.orderId = orderId;
        this.customerId = customerId;
    }

    public Object fingerprint() {
        return java.util.Arrays.asList(state, promisedDate, dueAt, dispatchEventId);
    }

    public void close(State closed) {
        state = closed;
        dueAt = null;
    }
}
