package dev.retention.contracts.events;

import java.time.Instant;

/** {@code customer.erased} on {@code customers}: delete or pseudonymise every piece of personal data. */
public record CustomerErased(Instant erasedAt) implements EventData {
}
