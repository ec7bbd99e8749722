package dev.retention.eventing;

import dev.retention.contracts.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.util.List;

/**
 * A service's effect for a batch of events. It runs inside the batch's database transaction, after the inbox has
 * removed every event already applied, so it sees each event once. It returns the events to publish; they are
 * written to the outbox in the same transaction. Their ids should come from
 * {@link dev.retention.contracts.EventIds#derive} so that a replay yields the same ids.
 *
 * <p>Work in multi-row statements for the batch, not a statement per event. To reject one event, throw
 * {@link EventRejectedException}: the kit then applies the batch event by event and dead-letters only that one.
 */
@FunctionalInterface
public interface BatchHandler {

    Uni<List<EventEnvelope<?>>> apply(SqlConnection transaction, List<EventEnvelope<?>> events);

    /** Called after a transaction that applied events has committed, e.g. to wake work that waits for them. */
    default void committed() {
    }
}
