package dev.retention.testsupport.schema;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.util.ArrayList;
import java.util.List;

/**
 * Strings matching a regular expression, for the subset the contracts' schemas use: anchors, groups, alternation,
 * character classes with ranges, escapes and the quantifiers {@code ? * + {n} {n,m} {n,}}. Repetition is drawn from
 * its whole range, so the shortest and the longest match are both generated (jqwik's edge cases of a list's size).
 */
final class RegexStrings {

    /** An open repetition ({@code *}, {@code +}, {@code {n,}}) goes at most this far past its minimum. */
    private static final int OPEN_REPETITION = 8;
    private static final String ALPHANUMERIC = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";

    private final String pattern;
    private int at;
    /** The characters of the atom just read when it is one character from a set ({@code [a-z]}, {@code \\d}), else null. */
    private String atomCharacters;

    private RegexStrings(String pattern) {
        this.pattern = pattern;
    }

    static Arbitrary<String> matching(String pattern) {
        RegexStrings parser = new RegexStrings(pattern);
        Arbitrary<String> strings = parser.alternation();
        if (parser.at != pattern.length()) {
            throw new IllegalArgumentException("cannot generate from pattern " + pattern + " (stopped at " + parser.at + ")");
        }
        return strings;
    }

    private Arbitrary<String> alternation() {
        List<Arbitrary<String>> branches = new ArrayList<>();
        branches.add(sequence());
        while (at < pattern.length() && pattern.charAt(at) == '|') {
            at++;
            branches.add(sequence());
        }
        return branches.size() == 1 ? branches.get(0) : Arbitraries.oneOf(branches);
    }

    private Arbitrary<String> sequence() {
        Arbitrary<String> sequence = Arbitraries.just("");
        while (at < pattern.length() && pattern.charAt(at) != '|' && pattern.charAt(at) != ')') {
            atomCharacters = null;
            Arbitrary<String> atom = atom();
            Arbitrary<String> quantified = quantify(atom, atomCharacters);
            sequence = Combinators.combine(sequence, quantified).as(String::concat);
        }
        return sequence;
    }

    private Arbitrary<String> atom() {
        char c = pattern.charAt(at++);
        return switch (c) {
            case '^', '$' -> Arbitraries.just("");
            case '(' -> {
                if (pattern.startsWith("?:", at)) {
                    at += 2;
                }
                Arbitrary<String> group = alternation();
                expect(')');
                atomCharacters = null;
                yield group;
            }
            case '[' -> characterClass();
            case '\\' -> escaped(pattern.charAt(at++));
            case '.' -> characters(ALPHANUMERIC);
            default -> Arbitraries.just(String.valueOf(c));
        };
    }

    private Arbitrary<String> escaped(char c) {
        return switch (c) {
            case 'd' -> characters("0123456789");
            case 'w' -> characters(ALPHANUMERIC + "_");
            case 'S' -> characters(ALPHANUMERIC + "-_.,;:!?#");
            case 'D' -> characters("abcXYZ-_ ");
            case 'W' -> characters("-.,;:!?# ");
            case 's' -> Arbitraries.just(" ");
            default -> Arbitraries.just(String.valueOf(c));
        };
    }

    private Arbitrary<String> characterClass() {
        if (at < pattern.length() && pattern.charAt(at) == '^') {
            throw new IllegalArgumentException("negated character classes are not supported: " + pattern);
        }
        StringBuilder members = new StringBuilder();
        while (pattern.charAt(at) != ']') {
            char from = pattern.charAt(at++);
            if (from == '\\') {
                from = pattern.charAt(at++);
            }
            if (pattern.charAt(at) == '-' && pattern.charAt(at + 1) != ']') {
                at++;
                char to = pattern.charAt(at++);
                for (char c = from; c <= to; c++) {
                    members.append(c);
                }
            } else {
                members.append(from);
            }
        }
        at++;
        return characters(members.toString());
    }

    private Arbitrary<String> characters(String members) {
        atomCharacters = members;
        return Arbitraries.strings().withChars(members).ofLength(1);
    }

    /**
     * The atom repeated as its quantifier says. A repeated character set is one jqwik string (far fewer shrinkable
     * objects than a list of one-character strings); its shortest and longest lengths are drawn as often as the rest.
     */
    private Arbitrary<String> quantify(Arbitrary<String> atom, String characters) {
        if (at >= pattern.length()) {
            return atom;
        }
        int min;
        int max;
        switch (pattern.charAt(at)) {
            case '?' -> {
                min = 0;
                max = 1;
                at++;
            }
            case '*' -> {
                min = 0;
                max = OPEN_REPETITION;
                at++;
            }
            case '+' -> {
                min = 1;
                max = 1 + OPEN_REPETITION;
                at++;
            }
            case '{' -> {
                int close = pattern.indexOf('}', at);
                String[] bounds = pattern.substring(at + 1, close).split(",", -1);
                min = Integer.parseInt(bounds[0]);
                max = bounds.length == 1 ? min : bounds[1].isEmpty() ? min + OPEN_REPETITION
                        : Integer.parseInt(bounds[1]);
                at = close + 1;
            }
            default -> {
                return atom;
            }
        }
        if (characters != null) {
            return Arbitraries.frequencyOf(Tuple.of(4, Arbitraries.strings().withChars(characters).ofMinLength(min)
                            .ofMaxLength(max)),
                    Tuple.of(1, Arbitraries.strings().withChars(characters).ofLength(min)),
                    Tuple.of(1, Arbitraries.strings().withChars(characters).ofLength(max)));
        }
        return atom.list().ofMinSize(min).ofMaxSize(max).map(parts -> String.join("", parts));
    }

    private void expect(char c) {
        if (at >= pattern.length() || pattern.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + pattern);
        }
        at++;
    }
}
