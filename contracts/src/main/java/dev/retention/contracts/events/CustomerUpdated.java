package dev.retention.contracts.events;

import java.time.Instant;
import java.time.LocalDate;

/** {@code customer.updated} on {@code customers}: the whole profile as it is after the change. */
public record CustomerUpdated(
        Instant updatedAt,
        String email,
        String firstName,
        String lastName,
        String locale,
        String timeZone,
        LocalDate birthDate,
        ChannelConsents consents) implements CustomerProfile {
}
