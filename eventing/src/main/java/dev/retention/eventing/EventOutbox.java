package dev.retention.eventing;

import dev.retention.contracts.EventEnvelope;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * The outbox for work that does not come from a consumed batch (API requests, scheduled jobs): write the events in
 * the caller's transaction, then call {@link #committed()} once it has committed so they are published at once.
 */
@ApplicationScoped
public class EventOutbox {

    private final OutboxRelay relay;

    public EventOutbox(OutboxRelay relay) {
        this.relay = relay;
    }

    public Uni<Void> write(SqlConnection transaction, List<EventEnvelope<?>> events) {
        return Outbox.append(transaction, events.stream().map(OutboundRecord::of).toList());
    }

    public void committed() {
        relay.wakeUp();
    }
}
