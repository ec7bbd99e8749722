package dev.retention.contracts.events;

import java.time.Instant;
import java.time.LocalDate;

/** {@code customer.registered} on {@code customers}; {@code referredBy} is the referring customer's id, if any. */
public record CustomerRegistered(
        Instant registeredAt,
        String email,
        String firstName,
        String lastName,
        String locale,
        String timeZone,
        LocalDate birthDate,
        ChannelConsents consents,
        String referredBy) implements CustomerProfile {
}
