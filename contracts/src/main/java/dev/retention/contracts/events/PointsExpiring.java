package dev.retention.contracts.events;

import java.time.LocalDate;

/** {@code points.expiring} on {@code loyalty.points}: {@code points} will expire on {@code expiresOn}. */
public record PointsExpiring(long points, LocalDate expiresOn, long availableNow) implements EventData {
}
