package dev.retention.contracts;

import dev.retention.contracts.events.EventData;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

class EventTypeTest {

    /**
     * The sealed hierarchy is what the services' switches are checked against, the enum what the wire knows: a record
     * in one and not the other would be an event that is decoded but handled nowhere, or handled but never decoded.
     */
    @Test
    void everyRecordTheSealedHierarchyPermitsHasExactlyOneEventTypeAndNoneIsLeftOver() {
        Set<Class<?>> records = new HashSet<>();
        collectRecords(EventData.class, records);

        assertThat(Arrays.stream(EventType.values()).<Class<?>>map(EventType::dataClass).collect(Collectors.toSet()))
                .containsExactlyInAnyOrderElementsOf(records);
        assertThat(EventType.values()).hasSameSizeAs(records);
    }

    private static void collectRecords(Class<?> type, Set<Class<?>> records) {
        if (type.isRecord()) {
            records.add(type);
            return;
        }
        assertThat(type.isSealed()).as(type + " is sealed").isTrue();
        for (Class<?> permitted : type.getPermittedSubclasses()) {
            collectRecords(permitted, records);
        }
    }
}
