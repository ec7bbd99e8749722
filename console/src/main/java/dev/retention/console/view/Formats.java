package dev.retention.console.view;

import java.math.BigDecimal;
import java.text.NumberFormat;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.format.FormatStyle;
import java.util.Currency;
import java.util.Locale;

/**
 * Numbers, money, percentages and dates in the user's locale (en-GB writes 1,234.50 €; de-DE 1.234,50 €). Times are
 * shown in UTC with the zone named: the console serves people in several zones and the services speak UTC.
 */
public final class Formats {

    private final Locale locale;

    public Formats(Locale locale) {
        this.locale = locale;
    }

    public String number(Object value) {
        BigDecimal number = decimal(value);
        return number == null ? "–" : NumberFormat.getNumberInstance(locale).format(number);
    }

    /** A signed number, as a ledger shows a movement: +80, −200. */
    public String signed(Object value) {
        BigDecimal number = decimal(value);
        if (number == null) {
            return "–";
        }
        String text = NumberFormat.getNumberInstance(locale).format(number.abs());
        return (number.signum() < 0 ? "−" : number.signum() > 0 ? "+" : "") + text;
    }

    public String money(Object amount, Object currencyCode) {
        BigDecimal number = decimal(amount);
        if (number == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getCurrencyInstance(locale);
        try {
            Currency currency = Currency.getInstance(String.valueOf(currencyCode));
            format.setCurrency(currency);
            format.setMinimumFractionDigits(Math.max(currency.getDefaultFractionDigits(), 0));
            format.setMaximumFractionDigits(Math.max(currency.getDefaultFractionDigits(), number.scale()));
        } catch (IllegalArgumentException | NullPointerException unknownCurrency) {
            // An amount without a currency the JDK knows: the amount, and the code as the service sent it (if any).
            String amountText = NumberFormat.getNumberInstance(locale).format(number);
            return currencyCode == null || currencyCode.toString().isBlank() ? amountText : amountText + " " + currencyCode;
        }
        return format.format(number);
    }

    /** A fraction as a percentage with one decimal: 0.125 → 12.5 %. */
    public String percent(Object fraction) {
        BigDecimal number = decimal(fraction);
        if (number == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getPercentInstance(locale);
        format.setMinimumFractionDigits(1);
        format.setMaximumFractionDigits(1);
        return format.format(number);
    }

    /** A difference of fractions in percentage points: 0.031 → +3.1 pp. */
    public String points(Object fraction) {
        BigDecimal number = decimal(fraction);
        if (number == null) {
            return "–";
        }
        NumberFormat format = NumberFormat.getNumberInstance(locale);
        format.setMinimumFractionDigits(1);
        format.setMaximumFractionDigits(1);
        BigDecimal pp = number.movePointRight(2);
        return (pp.signum() > 0 ? "+" : pp.signum() < 0 ? "−" : "") + format.format(pp.abs()) + " pp";
    }

    /** An instant (RFC 3339) as date and time in UTC, or a date (YYYY-MM-DD) as a date. */
    public String date(Object value) {
        if (value == null) {
            return "–";
        }
        String text = value.toString();
        try {
            if (text.length() == 10) {
                return LocalDate.parse(text).format(DateTimeFormatter.ofLocalizedDate(FormatStyle.MEDIUM).withLocale(locale));
            }
            return Instant.parse(text).atZone(ZoneOffset.UTC).format(DateTimeFormatter
                    .ofLocalizedDateTime(FormatStyle.MEDIUM, FormatStyle.SHORT).withLocale(locale)) + " UTC";
        } catch (DateTimeParseException notADate) {
            return text;
        }
    }

    /** A calendar month (YYYY-MM) as the locale names it: March 2026, März 2026. */
    public String month(Object value) {
        if (value == null) {
            return "–";
        }
        try {
            return YearMonth.parse(value.toString()).format(DateTimeFormatter.ofPattern("MMM yyyy", locale));
        } catch (DateTimeParseException notAMonth) {
            return value.toString();
        }
    }

    /** A calendar month as a chart's axis names it: Mar 26, März 26. */
    public String shortMonth(Object value) {
        try {
            return YearMonth.parse(String.valueOf(value)).format(DateTimeFormatter.ofPattern("MMM yy", locale));
        } catch (DateTimeParseException notAMonth) {
            return String.valueOf(value);
        }
    }

    /** An instant as the value of a {@code datetime-local} input, in UTC. */
    public static String inputDateTime(Instant instant) {
        return instant.atZone(ZoneId.of("UTC")).toLocalDateTime().withSecond(0).withNano(0).toString();
    }

    static BigDecimal decimal(Object value) {
        if (value == null) {
            return null;
        }
        if (value instanceof BigDecimal decimal) {
            return decimal;
        }
        if (value instanceof Number number) {
            return new BigDecimal(number.toString());
        }
        try {
            return new BigDecimal(value.toString());
        } catch (NumberFormatException notANumber) {
            return null;
        }
    }
}
