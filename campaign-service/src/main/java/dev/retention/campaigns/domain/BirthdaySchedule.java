package dev.retention.campaigns.domain;

import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.MonthDay;
import java.time.ZoneId;
import java.util.Optional;

/**
 * When a birthday offer goes out: {@code daysBefore} the birthday, at {@code sendTime} in the customer's time zone.
 * A 29 February birthday is celebrated on 28 February in common years. The offer for a birthday still ahead is due
 * even if its send day has passed (a customer who registers three days before the birthday still gets one).
 */
public record BirthdaySchedule(int daysBefore, LocalTime sendTime) {

    public BirthdaySchedule {
        if (daysBefore < 0 || daysBefore > 60) {
            throw new IllegalArgumentException("daysBefore must be within 0..60, was " + daysBefore);
        }
    }

    public record Occurrence(int year, LocalDate birthday, Instant offerAt) {
    }

    /** The next birthday on or after today (in {@code zone}) whose year is at least {@code fromYear}. */
    public Optional<Occurrence> next(LocalDate birthDate, ZoneId zone, Instant now, int fromYear) {
        if (birthDate == null) {
            return Optional.empty();
        }
        LocalDate today = now.atZone(zone).toLocalDate();
        int year = Math.max(today.getYear(), fromYear);
        LocalDate birthday = birthdayIn(birthDate, year);
        if (birthday.isBefore(today)) {
            year++;
            birthday = birthdayIn(birthDate, year);
        }
        Instant offerAt = birthday.minusDays(daysBefore).atTime(sendTime).atZone(zone).toInstant();
        return Optional.of(new Occurrence(year, birthday, offerAt));
    }

    static LocalDate birthdayIn(LocalDate birthDate, int year) {
        MonthDay day = MonthDay.from(birthDate);
        return day.isValidYear(year) ? day.atYear(year) : LocalDate.of(year, 2, 28);
    }
}
