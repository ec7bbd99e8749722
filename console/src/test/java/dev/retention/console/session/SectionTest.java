package dev.retention.console.session;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** What of a path the log may name: the section, never the customer id after it. */
class SectionTest {

    @Test
    void onlyThePathsFirstSegmentIsNamed() {
        assertThat(SessionFilter.section("/customers/c-1/erasure")).isEqualTo("/customers/…");
        assertThat(SessionFilter.section("/customers/c-1")).isEqualTo("/customers/…");
        assertThat(SessionFilter.section("/sign-in")).isEqualTo("/sign-in");
        assertThat(SessionFilter.section("/")).isEqualTo("/");
    }
}
