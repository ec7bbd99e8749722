package dev.retention.eventing;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A service's effect for a batch of events. It runs inside the batch's database transaction, after the inbox has
 * removed every event already applied, so it sees each event once (except the types it deduplicates itself,
 * {@link #deduplicatedByEffect}). It returns the events to publish; they are
 * written to the outbox in the same transaction. Their ids should come from
 * {@link dev.retention.contracts.EventIds#derive} so that a replay yields the same ids.
 *
 * <p>Work in multi-row statements for the batch, not a statement per event. To reject one event, throw
 * {@link EventRejectedException}: the kit then applies the batch event by event and dead-letters only that one.
 */
@FunctionalInterface
public interface BatchHandler {

    /** What {@link #eventTypes} answers unless a handler narrows it. */
    Set<EventType> ALL_EVENT_TYPES = Collections.unmodifiableSet(EnumSet.allOf(EventType.class));

    Uni<List<EventEnvelope<?>>> apply(SqlConnection transaction, List<EventEnvelope<?>> events);

    /**
     * The event types this handler acts on. The kit passes over records of the other known types, each on its own
     * topic, without decoding them: no validation, no inbox row, no dead letter (a service that acts on them
     * validates them). A record that names no known type, or a type of another topic, is still decoded and
     * dead-lettered.
     */
    default Set<EventType> eventTypes() {
        return ALL_EVENT_TYPES;
    }

    /**
     * Event types whose effect row already carries a unique key derived from the event (points-service's order row,
     * keyed by the order's id), so that this handler recognises one it applied before by itself: the kit claims no
     * inbox row for them, which saves a row and an index entry per event. The handler must leave such an event
     * without effect when it comes again, under the same id or another, and it sees every redelivery (counted as
     * applied in the metrics). Their dead letters are still claimed in the inbox.
     */
    default Set<EventType> deduplicatedByEffect() {
        return Set.of();
    }

    /** Called after a transaction that applied events has committed, e.g. to wake work that waits for them. */
    default void committed() {
    }
}
