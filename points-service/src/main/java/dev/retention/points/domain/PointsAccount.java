package dev.retention.points.domain;

import java.time.Instant;

/**
 * A customer's balances. Available never goes below zero: what a reversal cannot take from it is recorded as debt,
 * which later credits pay off first.
 */
public final class PointsAccount {

    private final String customerId;
    private long available;
    private long pending;
    private long debt;
    private long lifetimeEarned;
    private Instant lastActivityAt;
    private String referredBy;
    private boolean registered;
    private boolean hasOrdered;
    private Instant expiryWarnedFor;

    public PointsAccount(String customerId, long available, long pending, long debt, long lifetimeEarned,
                         Instant lastActivityAt, String referredBy, boolean registered, boolean hasOrdered,
                         Instant expiryWarnedFor) {
        this.customerId = customerId;
        this.available = available;
        this.pending = pending;
        this.debt = debt;
        this.lifetimeEarned = lifetimeEarned;
        this.lastActivityAt = lastActivityAt;
        this.referredBy = referredBy;
        this.registered = registered;
        this.hasOrdered = hasOrdered;
        this.expiryWarnedFor = expiryWarnedFor;
    }

    public static PointsAccount open(String customerId) {
        return new PointsAccount(customerId, 0, 0, 0, 0, null, null, false, false, null);
    }

    /** Credits pay the debt first; the rest becomes available. */
    void credit(long points) {
        long paysDebt = Math.min(debt, points);
        debt -= paysDebt;
        available += points - paysDebt;
    }

    /** Takes what is available; the remainder becomes debt. */
    void debit(long points) {
        long fromAvailable = Math.min(available, points);
        available -= fromAvailable;
        debt += points - fromAvailable;
    }

    void addPending(long points) {
        pending += points;
    }

    void removePending(long points) {
        pending -= points;
    }

    void earned(long points) {
        lifetimeEarned += points;
    }

    void activeAt(Instant at) {
        if (lastActivityAt == null || at.isAfter(lastActivityAt)) {
            lastActivityAt = at;
        }
    }

    void registered(String referredBy) {
        this.registered = true;
        this.referredBy = referredBy;
    }

    void firstOrderPlaced() {
        this.hasOrdered = true;
    }

    void warnedOfExpiry(Instant expiresAt) {
        this.expiryWarnedFor = expiresAt;
    }

    /** When available points expire if nothing happens, or null when there is nothing to expire. */
    public Instant expiresAt(PointsPolicy policy) {
        return available > 0 && lastActivityAt != null ? lastActivityAt.plus(policy.inactivityExpiry()) : null;
    }

    /**
     * The same, under the policy in force at the last activity: the inactivity period that started then is the one
     * that runs out, whatever a later programme version says (and a replay computes the same date).
     */
    public Instant expiresAt(PointsPolicies policies) {
        return lastActivityAt == null ? null : expiresAt(policies.at(lastActivityAt));
    }

    public String customerId() {
        return customerId;
    }

    public long available() {
        return available;
    }

    public long pending() {
        return pending;
    }

    public long debt() {
        return debt;
    }

    public long lifetimeEarned() {
        return lifetimeEarned;
    }

    public Instant lastActivityAt() {
        return lastActivityAt;
    }

    public String referredBy() {
        return referredBy;
    }

    public boolean isRegistered() {
        return registered;
    }

    public boolean hasOrdered() {
        return hasOrdered;
    }

    public Instant expiryWarnedFor() {
        return expiryWarnedFor;
    }
}
