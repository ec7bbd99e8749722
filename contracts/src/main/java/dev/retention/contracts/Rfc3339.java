package dev.retention.contracts;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * Parses the timestamps of the contracts ({@code 2026-11-22T11:15:30.123+01:00}) to an {@link Instant}, exactly as
 * {@link OffsetDateTime#parse} does, but without its formatter for the usual shape: {@code DateTimeFormatter}
 * took up to a tenth of a service's CPU, since each event carries two or three timestamps. Any other shape (no
 * seconds, lower-case letters, offsets with seconds, out-of-range fields) goes to {@code OffsetDateTime.parse},
 * which stays the authority on what is accepted and on the error.
 */
public final class Rfc3339 {

    private static final int[] SCALE = {0, 100_000_000, 10_000_000, 1_000_000, 100_000, 10_000, 1_000, 100, 10, 1};
    /** Years with four digits: {@link #format} writes these itself. */
    private static final long FIRST_FAST_DAY = LocalDate.of(1000, 1, 1).toEpochDay();
    private static final long LAST_FAST_DAY = LocalDate.of(9999, 12, 31).toEpochDay();

    private Rfc3339() {
    }

    /** @throws DateTimeParseException when the text is not an ISO-8601 date-time with an offset */
    public static Instant parse(String text) {
        Instant instant = parseUsualShape(text);
        return instant != null ? instant : OffsetDateTime.parse(text).toInstant();
    }

    /** {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)}, or null for anything else. */
    static Instant parseUsualShape(String text) {
        int length = text.length();
        if (length < 20 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(10) != 'T'
                || text.charAt(13) != ':' || text.charAt(16) != ':') {
            return null;
        }
        int year = digits(text, 0, 4);
        int month = digits(text, 5, 2);
        int day = digits(text, 8, 2);
        int hour = digits(text, 11, 2);
        int minute = digits(text, 14, 2);
        int second = digits(text, 17, 2);
        if (year < 0 || month < 0 || day < 0 || hour < 0 || hour > 23 || minute < 0 || minute > 59 || second < 0
                || second > 59) {
            return null;
        }
        int position = 19;
        int nanos = 0;
        if (text.charAt(position) == '.') {
            int start = ++position;
            while (position < length && position - start < 10 && isDigit(text.charAt(position))) {
                position++;
            }
            int fractionDigits = position - start;
            if (fractionDigits == 0 || fractionDigits > 9) {
                return null;
            }
            nanos = digits(text, start, fractionDigits) * SCALE[fractionDigits];
        }
        int offsetSeconds;
        if (position == length - 1 && text.charAt(position) == 'Z') {
            offsetSeconds = 0;
        } else if (position == length - 6 && (text.charAt(position) == '+' || text.charAt(position) == '-')
                && text.charAt(position + 3) == ':') {
            int offsetHours = digits(text, position + 1, 2);
            int offsetMinutes = digits(text, position + 4, 2);
            if (offsetHours < 0 || offsetHours > 18 || offsetMinutes < 0 || offsetMinutes > 59
                    || (offsetHours == 18 && offsetMinutes > 0)) {
                return null;
            }
            offsetSeconds = (text.charAt(position) == '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
        } else {
            return null;
        }
        long epochDay;
        try {
            epochDay = LocalDate.of(year, month, day).toEpochDay();
        } catch (DateTimeException invalidDate) {
            return null;
        }
        return Instant.ofEpochSecond(epochDay * 86_400 + hour * 3600L + minute * 60L + second - offsetSeconds, nanos);
    }

    /**
     * The instant as {@link java.time.format.DateTimeFormatter#ISO_INSTANT} writes it ({@code 2026-11-22T10:15:30Z},
     * fractions in groups of three digits), without the formatter for years 1000 to 9999: every event written carries
     * two or three timestamps, and the formatter showed in the encoders' profiles.
     */
    public static String format(Instant instant) {
        long seconds = instant.getEpochSecond();
        long epochDay = Math.floorDiv(seconds, 86_400);
        int secondOfDay = (int) Math.floorMod(seconds, 86_400);
        if (epochDay < FIRST_FAST_DAY || epochDay > LAST_FAST_DAY) {
            return java.time.format.DateTimeFormatter.ISO_INSTANT.format(instant);
        }
        LocalDate date = LocalDate.ofEpochDay(epochDay);
        int nanos = instant.getNano();
        StringBuilder text = new StringBuilder(30);
        appendDigits(text, date.getYear(), 4).append('-');
        appendDigits(text, date.getMonthValue(), 2).append('-');
        appendDigits(text, date.getDayOfMonth(), 2).append('T');
        appendDigits(text, secondOfDay / 3600, 2).append(':');
        appendDigits(text, secondOfDay / 60 % 60, 2).append(':');
        appendDigits(text, secondOfDay % 60, 2);
        if (nanos > 0) {
            text.append('.');
            if (nanos % 1_000_000 == 0) {
                appendDigits(text, nanos / 1_000_000, 3);
            } else if (nanos % 1_000 == 0) {
                appendDigits(text, nanos / 1_000, 6);
            } else {
                appendDigits(text, nanos, 9);
            }
        }
        return text.append('Z').toString();
    }

    private static StringBuilder appendDigits(StringBuilder text, int value, int width) {
        String digits = Integer.toString(value);
        for (int i = digits.length(); i < width; i++) {
            text.append('0');
        }
        return text.append(digits);
    }

    /** The non-negative number written by {@code count} ASCII digits from {@code start}, or -1. */
    private static int digits(String text, int start, int count) {
        int value = 0;
        for (int i = start; i < start + count; i++) {
            char c = text.charAt(i);
            if (!isDigit(c)) {
                return -1;
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    private static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }
}
