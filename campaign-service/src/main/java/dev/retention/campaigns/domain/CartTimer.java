package dev.retention.campaigns.domain;

import dev.retention.contracts.events.CartContents;
import dev.retention.contracts.events.CartLine;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * One shopping cart and the timer of its reminders. A cart is {@code OPEN} while it may be reminded of: due at its
 * last activity (newest change or checkout) plus the next step's period, and only while it holds items. An order
 * naming it ({@code ORDERED}) and the customer's erasure ({@code ERASED}) close it for good; an emptied cart
 * ({@code EMPTIED}) waits without a timer and opens again with a newer change that has items. Changes are applied by
 * their own time, the newest wins: a change older than the one applied, delivered late, changes nothing. {@code step}
 * counts the reminder steps already decided, so no step is decided twice for a cart.
 */
public class CartTimer {

    public enum State { OPEN, EMPTIED, ORDERED, ERASED }

    private final String cartId;
    private final String customerId;
    private State state = State.OPEN;
    private List<CartLine> lines = List.of();
    /** The time of the change the lines are from; null before any change. */
    private Instant updatedAt;
    private Instant lastActivityAt;
    private Instant dueAt;
    private int step;
    /** The {@code cart.updated} the lines are from: the source of the reminder. */
    private String updateEventId;
    private boolean changed;

    public CartTimer(String cartId, String customerId) {
        this.cartId = cartId;
        this.customerId = customerId;
    }

    /** A cart mentioned for the first time: its row is written even if nothing else changes. */
    public static CartTimer firstMentioned(String cartId, String customerId) {
        CartTimer cart = new CartTimer(cartId, customerId);
        cart.changed = true;
        return cart;
    }

    /** As stored. */
    public static CartTimer stored(String cartId, String customerId, State state, List<CartLine> lines,
                                   Instant updatedAt, Instant lastActivityAt, Instant dueAt, int step,
                                   String updateEventId) {
        CartTimer cart = new CartTimer(cartId, customerId);
        cart.state = state;
        cart.lines = List.copyOf(lines);
        cart.updatedAt = updatedAt;
        cart.lastActivityAt = lastActivityAt;
        cart.dueAt = dueAt;
        cart.step = step;
        cart.updateEventId = updateEventId;
        return cart;
    }

    /**
     * The cart's whole content as of {@code at}; no lines empties it. Ignored when closed or not newer than the change
     * applied last.
     */
    public void update(String eventId, List<CartLine> newLines, Instant at, CartReminderSteps steps) {
        if (closed() || updatedAt != null && !at.isAfter(updatedAt)) {
            return;
        }
        updatedAt = changing(updatedAt, at);
        lines = changing(lines, List.copyOf(newLines));
        updateEventId = changing(updateEventId, eventId);
        state = changing(state, newLines.isEmpty() ? State.EMPTIED : State.OPEN);
        active(at, steps);
    }

    /** The customer went to the checkout at {@code at}: activity, which moves the timer. */
    public void checkout(Instant at, CartReminderSteps steps) {
        if (!closed()) {
            active(at, steps);
        }
    }

    /** An order named the cart: no reminder, ever. */
    public void ordered() {
        close(State.ORDERED);
    }

    /** The customer was erased: no reminder, and the lines are forgotten. */
    public void erase() {
        close(State.ERASED);
        lines = changing(lines, List.of());
    }

    /**
     * The job found the cart due at {@code now}: the index (0-based) of the step to send, or -1 when none is (closed,
     * emptied, not due yet). The step is counted as decided either way, and the timer moves to the next one.
     */
    public int takeDueStep(Instant now, CartReminderSteps steps) {
        if (dueAt == null || dueAt.isAfter(now)) {
            return -1;
        }
        int due = step;
        step = changing(step, step + 1);
        dueAt = changing(dueAt, remindable() ? steps.dueAt(lastActivityAt, step) : null);
        return remindable() && due < steps.steps().size() ? due : -1;
    }

    /** What a reminder shows: the cart and its lines. */
    public CartContents contents() {
        return new CartContents(cartId, lines);
    }

    private void active(Instant at, CartReminderSteps steps) {
        if (lastActivityAt == null || at.isAfter(lastActivityAt)) {
            lastActivityAt = changing(lastActivityAt, at);
        }
        dueAt = changing(dueAt, remindable() ? steps.dueAt(lastActivityAt, step) : null);
    }

    private void close(State closedAs) {
        state = changing(state, closedAs);
        dueAt = changing(dueAt, null);
    }

    private boolean closed() {
        return state == State.ORDERED || state == State.ERASED;
    }

    private boolean remindable() {
        return state == State.OPEN && !lines.isEmpty();
    }

    /** Since it was loaded, or ever when new. */
    public boolean changed() {
        return changed;
    }

    private <T> T changing(T from, T to) {
        changed |= !Objects.equals(from, to);
        return to;
    }

    public String cartId() {
        return cartId;
    }

    public String customerId() {
        return customerId;
    }

    public State state() {
        return state;
    }

    public List<CartLine> lines() {
        return lines;
    }

    public Instant updatedAt() {
        return updatedAt;
    }

    public Instant lastActivityAt() {
        return lastActivityAt;
    }

    public Instant dueAt() {
        return dueAt;
    }

    public int step() {
        return step;
    }

    public String updateEventId() {
        return updateEventId;
    }
}
