package dev.retention.testsupport.schema;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;

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

    private final String pattern;
    private int at;

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
            Arbitrary<String> atom = atom();
            Arbitrary<String> quantified = quantify(atom);
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
                yield group;
            }
            case '[' -> characterClass();
            case '\\' -> escaped(pattern.charAt(at++));
            case '.' -> Arbitraries.chars().alpha().numeric().map(String::valueOf);
            default -> Arbitraries.just(String.valueOf(c));
        };
    }

    private Arbitrary<String> escaped(char c) {
        return switch (c) {
            case 'd' -> Arbitraries.chars().range('0', '9').map(String::valueOf);
            case 'w' -> Arbitraries.chars().alpha().numeric().with('_').map(String::valueOf);
            case 's' -> Arbitraries.just(" ");
            default -> Arbitraries.just(String.valueOf(c));
        };
    }

    private Arbitrary<String> characterClass() {
        if (at < pattern.length() && pattern.charAt(at) == '^') {
            throw new IllegalArgumentException("negated character classes are not supported: " + pattern);
        }
        List<Character> members = new ArrayList<>();
        while (pattern.charAt(at) != ']') {
            char from = pattern.charAt(at++);
            if (from == '\\') {
                from = pattern.charAt(at++);
            }
            if (pattern.charAt(at) == '-' && pattern.charAt(at + 1) != ']') {
                at++;
                char to = pattern.charAt(at++);
                for (char c = from; c <= to; c++) {
                    members.add(c);
                }
            } else {
                members.add(from);
            }
        }
        at++;
        return Arbitraries.of(members).map(String::valueOf);
    }

    private Arbitrary<String> quantify(Arbitrary<String> atom) {
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
        return atom.list().ofMinSize(min).ofMaxSize(max).map(parts -> String.join("", parts));
    }

    private void expect(char c) {
        if (at >= pattern.length() || pattern.charAt(at) != c) {
            throw new IllegalArgumentException("expected '" + c + "' at " + at + " in " + pattern);
        }
        at++;
    }
}
