package dev.retention.points.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.points.domain.LedgerEntry;

import java.util.ArrayList;
import java.util.List;

/** Ledger entries as {@code points.changed} events: one per entry, with the entry id as event id. */
public final class PointsEvents {

    public static final String SOURCE = "/points-service";

    private PointsEvents() {
    }

    public static List<EventEnvelope<?>> toEvents(List<LedgerEntry> entries) {
        List<EventEnvelope<?>> events = new ArrayList<>(entries.size());
        for (LedgerEntry entry : entries) {
            events.add(EventEnvelope.of(entry.entryId(), SOURCE, entry.occurredAt(), entry.customerId(),
                    entry.toEvent()));
        }
        return events;
    }
}
