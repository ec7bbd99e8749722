package dev.retention.contracts;

import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

class EventIdsTest {

    @Test
    void sameCauseAndPurposeGiveTheSameIdOnEveryCall() {
        assertThat(EventIds.derive("evt-1", "points.earned")).isEqualTo(EventIds.derive("evt-1", "points.earned"));
    }

    @Test
    void differentCauseOrPurposeGiveDifferentIds() {
        String id = EventIds.derive("evt-1", "points.earned");

        assertThat(EventIds.derive("evt-2", "points.earned")).isNotEqualTo(id);
        assertThat(EventIds.derive("evt-1", "points.bonus")).isNotEqualTo(id);
        // The separator keeps ("a", "bc") and ("ab", "c") apart.
        assertThat(EventIds.derive("bc", "a")).isNotEqualTo(EventIds.derive("c", "ab"));
    }

    @Test
    void idsAreVersion5Uuids() {
        UUID id = UUID.fromString(EventIds.derive("evt-1", "points.earned"));

        assertThat(id.version()).isEqualTo(5);
        assertThat(id.variant()).isEqualTo(2);
    }
}
