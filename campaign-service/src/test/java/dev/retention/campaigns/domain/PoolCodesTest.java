package dev.retention.campaigns.domain;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PoolCodesTest {

    @Test
    void theHeaderBlankLinesAndSpacesAreNoCodes() {
        PoolCodes codes = PoolCodes.parse("Code\r\n\r\n  T-1  \nT-2\r\nT-1\n\n");
        assertThat(codes.codes()).containsExactly("T-1", "T-2");
        assertThat(codes.duplicateInUpload()).isEqualTo(1);
        // "code" after the first line is a code like any other.
        assertThat(PoolCodes.parse("T-1\ncode\n").codes()).containsExactly("T-1", "code");
    }

    @Test
    void aRefusalNamesTheLineAndNotTheCode() {
        String secret = "S".repeat(201);
        assertThatThrownBy(() -> PoolCodes.parse("code\nT-1\n\n" + secret))
                .isInstanceOfSatisfying(PoolCodes.InvalidLine.class, e -> assertThat(e.line()).isEqualTo(4))
                .message().doesNotContain("SSS");
        assertThat(PoolCodes.parse("S".repeat(200)).codes()).hasSize(1);
        for (String control : List.of("A\u0000B", "A\tB", "A\u200BB", "A\u0085B", "A\u202EB")) {
            assertThatThrownBy(() -> PoolCodes.parse("T-1\n" + control))
                    .isInstanceOfSatisfying(PoolCodes.InvalidLine.class, e -> assertThat(e.line()).isEqualTo(2))
                    .message().doesNotContain("A");
        }
    }

    /** Whatever codes, in whatever order, repeated, padded and separated by blank lines: the distinct codes, in order. */
    @Property(tries = 300)
    void anUploadGivesItsDistinctCodesInOrder(@ForAll("uploads") List<String> lines,
                                             @ForAll("padding") String padding, @ForAll boolean crlf) {
        StringBuilder csv = new StringBuilder();
        for (String line : lines) {
            csv.append(padding).append(line).append(padding).append(crlf ? "\r\n" : "\n").append(padding)
                    .append(crlf ? "\r\n" : "\n");
        }
        PoolCodes codes = PoolCodes.parse(csv.toString());

        List<String> distinct = new ArrayList<>(new LinkedHashSet<>(lines));
        assertThat(codes.codes()).isEqualTo(distinct);
        assertThat(codes.duplicateInUpload()).isEqualTo(lines.size() - distinct.size());
    }

    @Provide
    Arbitrary<List<String>> uploads() {
        return Arbitraries.strings().withChars("ABCXYZ0123456789-_./+=").ofMinLength(1).ofMaxLength(40)
                .filter(s -> !s.equalsIgnoreCase("code")).list().ofMaxSize(30);
    }

    @Provide
    Arbitrary<String> padding() {
        return Arbitraries.of("", " ", "  ", "\t");
    }
}
