package dev.retention.campaigns.domain;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;

/**
 * Who a segment offer is for; every criterion given must hold. {@code tiers}: the customer's current tier is one of
 * them; {@code minDaysInactive}: the last order is at least that many days old (customers who never ordered are
 * not inactive, they are new); {@code minLifetimeSpend}: net lifetime spend in the base currency.
 */
public record Segment(Set<String> tiers, Integer minDaysInactive, BigDecimal minLifetimeSpend) {

    public Segment {
        tiers = tiers == null || tiers.isEmpty() ? null : Set.copyOf(tiers);
        if (minDaysInactive != null && minDaysInactive < 0) {
            throw new IllegalArgumentException("minDaysInactive must not be negative");
        }
        if (minLifetimeSpend != null && minLifetimeSpend.signum() < 0) {
            throw new IllegalArgumentException("minLifetimeSpend must not be negative");
        }
    }

    /** The last order must be at or before this instant; null when inactivity does not matter. */
    public Instant inactiveSince(Instant now) {
        return minDaysInactive == null ? null : now.minus(Duration.ofDays(minDaysInactive));
    }

    public boolean matches(CustomerState customer, Instant now) {
        return (tiers == null || (customer.tier() != null && tiers.contains(customer.tier())))
                && (minDaysInactive == null
                    || (customer.lastOrderAt() != null && !customer.lastOrderAt().isAfter(inactiveSince(now))))
                && (minLifetimeSpend == null || customer.lifetimeSpend().compareTo(minLifetimeSpend) >= 0);
    }
}
