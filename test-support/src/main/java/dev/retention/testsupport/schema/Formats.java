package dev.retention.testsupport.schema;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

import java.time.LocalDate;

/** Strings in the formats the schemas name, in every shape the format admits that the generators know of. */
final class Formats {

    /** Letters and digits of several scripts, punctuation and a space; {@link #EMOJI_STAND_IN} becomes an emoji. */
    private static final String TEXT_EXTRAS = " -_.,;:!?'\"/\\äöüßéñçøåÆ日本語ΩЖ€";
    /** Generated as one char, replaced by an emoji: one code point of two UTF-16 units, so lengths stay exact. */
    private static final char EMOJI_STAND_IN = '\u0001';

    private Formats() {
    }

    /**
     * Plain text from {@code min} to {@code max} code points, the bounds themselves often. jqwik's own string
     * generator, not a list of one-character strings: a fraction of the shrinkable objects, ten times faster.
     */
    static Arbitrary<String> text(int min, int max) {
        Arbitrary<String> any = chars(min, max);
        Arbitrary<String> shortest = chars(min, min);
        Arbitrary<String> longest = chars(max, max);
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, any), net.jqwik.api.Tuple.of(1, shortest), net.jqwik.api.Tuple.of(1, longest));
    }

    private static Arbitrary<String> chars(int min, int max) {
        return Arbitraries.strings().alpha().numeric().withChars(TEXT_EXTRAS).withChars(EMOJI_STAND_IN)
                .ofMinLength(min).ofMaxLength(max)
                .map(text -> text.replace(String.valueOf(EMOJI_STAND_IN), "\uD83D\uDE00"));
    }

    static Arbitrary<LocalDate> dates() {
        return Arbitraries.longs().between(LocalDate.of(1000, 1, 1).toEpochDay(), LocalDate.of(2999, 12, 31).toEpochDay())
                .map(LocalDate::ofEpochDay);
    }

    /**
     * RFC 3339 timestamps: upper-case {@code T}, 0 to 9 fractional digits, {@code Z} or an offset up to ±18:00 (what
     * Java's offsets hold; RFC 3339 would admit up to 23:59, the contracts do not promise that far). Not {@code -00:00},
     * RFC 3339's "offset unknown": the schema validator's {@code date-time} format refuses it, Java reads it as UTC.
     */
    static Arbitrary<String> dateTimes() {
        Arbitrary<String> dates = Arbitraries.longs()
                .between(LocalDate.of(1970, 1, 1).toEpochDay(), LocalDate.of(2199, 12, 31).toEpochDay())
                .map(day -> LocalDate.ofEpochDay(day).toString());
        Arbitrary<String> times = Combinators.combine(Arbitraries.integers().between(0, 23),
                        Arbitraries.integers().between(0, 59), Arbitraries.integers().between(0, 59))
                .as((h, m, s) -> String.format("%02d:%02d:%02d", h, m, s));
        Arbitrary<String> fractions = Arbitraries.strings().numeric().ofMinLength(1).ofMaxLength(9)
                .map(digits -> "." + digits).injectNull(0.5).map(f -> f == null ? "" : f);
        Arbitrary<String> offsets = Arbitraries.oneOf(Arbitraries.just("Z"),
                Combinators.combine(Arbitraries.of("+", "-"), Arbitraries.integers().between(0, 17),
                                Arbitraries.integers().between(0, 59))
                        .as((sign, h, m) -> String.format("%s%02d:%02d", sign, h, m))
                        .filter(offset -> !offset.equals("-00:00")),
                Arbitraries.of("+18:00", "-18:00", "+00:00"));
        return Combinators.combine(dates, times, fractions, offsets).as((d, t, f, o) -> d + "T" + t + f + o);
    }

    /**
     * Addresses of the usual shape (dot-separated atoms, a domain of labels), within {@code max} characters. The
     * top-level domain is a delegated one: the schema validator's {@code email} format refuses a syntactically valid
     * address under a TLD its list does not hold ({@code a@b.zzz}).
     */
    static Arbitrary<String> emails(int max) {
        Arbitrary<String> atom = Arbitraries.strings().withCharRange('a', 'z').withCharRange('0', '9')
                .withChars("+_-").ofMinLength(1).ofMaxLength(20)
                .filter(a -> Character.isLetterOrDigit(a.charAt(0)));
        Arbitrary<String> local = atom.list().ofMinSize(1).ofMaxSize(3).map(parts -> String.join(".", parts));
        Arbitrary<String> label = RegexStrings.matching("^[a-z0-9]([a-z0-9-]{0,20}[a-z0-9])?$");
        Arbitrary<String> domain = Combinators.combine(label.list().ofMinSize(1).ofMaxSize(3),
                        Arbitraries.of("com", "de", "org", "net", "shop", "io", "fr", "co.uk", "online"))
                .as((labels, tld) -> String.join(".", labels) + "." + tld);
        return Combinators.combine(local, domain).as((l, d) -> l + "@" + d).filter(e -> e.length() <= max);
    }

    static Arbitrary<String> uuids() {
        return RegexStrings.matching("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$");
    }
}
