package dev.retention.contracts.events;

import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.ZoneId;

/**
 * The personal part of a customer event. It stays in the services that need it: never on an output topic.
 * Both {@code customer.registered} and {@code customer.updated} carry the whole profile as it is now. Its schema
 * says all that is checked (a birth year from 1900); a time zone this JVM does not know is not refused but read as
 * the programme's default ({@link #zoneOr}).
 */
public sealed interface CustomerProfile extends EventData permits CustomerRegistered, CustomerUpdated {

    String email();

    String firstName();

    String lastName();

    String locale();

    String timeZone();

    LocalDate birthDate();

    ChannelConsents consents();

    /**
     * The zone a profile names, or {@code fallback} when it names none or one this JVM's time zone data does not know:
     * a producer with newer zone data, or a typing error, must not cost the customer their profile.
     */
    static ZoneId zoneOr(String zoneId, ZoneId fallback) {
        if (zoneId == null) {
            return fallback;
        }
        try {
            return ZoneId.of(zoneId);
        } catch (DateTimeException e) {
            return fallback;
        }
    }
}
