package dev.retention.notifications.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;

/**
 * Hours in the customer's time zone when nothing is sent, e.g. 21:00 to 08:00 (the span may cross midnight). A
 * message due within them is held until they end; start equal to end means no quiet hours.
 */
public record QuietHours(LocalTime start, LocalTime end) {

    public boolean none() {
        return start.equals(end);
    }

    /** The end of the quiet hours {@code now} falls into, or null when {@code now} is not quiet. */
    public Instant endOfQuietAt(Instant now, ZoneId zone) {
        if (none()) {
            return null;
        }
        ZonedDateTime local = now.atZone(zone);
        LocalTime time = local.toLocalTime();
        LocalDate day = local.toLocalDate();
        boolean crossesMidnight = start.isAfter(end);
        if (crossesMidnight) {
            if (!time.isBefore(start)) {
                return day.plusDays(1).atTime(end).atZone(zone).toInstant();
            }
            if (time.isBefore(end)) {
                return day.atTime(end).atZone(zone).toInstant();
            }
            return null;
        }
        return !time.isBefore(start) && time.isBefore(end) ? day.atTime(end).atZone(zone).toInstant() : null;
    }
}
