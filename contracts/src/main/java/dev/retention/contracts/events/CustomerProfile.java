package dev.retention.contracts.events;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.List;

/**
 * The personal part of a customer event. It stays in the services that need it: never on an output topic.
 * Both {@code customer.registered} and {@code customer.updated} carry the whole profile as it is now.
 */
public interface CustomerProfile extends EventData {

    String email();

    String firstName();

    String lastName();

    String locale();

    String timeZone();

    LocalDate birthDate();

    ChannelConsents consents();

    @Override
    default List<FieldViolation> violations() {
        return new Violations().check(isZone(timeZone()), "$.data.timeZone", "unknown time zone '" + timeZone() + "'")
                .check(birthDate() == null || birthDate().getYear() >= 1900, "$.data.birthDate", "before 1900")
                .list();
    }

    private static boolean isZone(String zone) {
        try {
            ZoneId.of(zone);
            return true;
        } catch (DateTimeException | NullPointerException e) {
            return false;
        }
    }
}
