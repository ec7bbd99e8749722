package dev.retention.notifications.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.eventing.EventOutbox;
import dev.retention.notifications.domain.ErasureRequest;
import dev.retention.notifications.persistence.ErasureRequestStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;

/**
 * An admin erases a customer through the API: the same {@code customer.erased} on {@code customers} that the shop
 * publishes, so every service erases as it does for the shop's event (notification-service too, by consuming it).
 * The request's record and the event are written in one transaction through the outbox; the event's id comes from the
 * customer id, and a repeated request finds the record and publishes nothing.
 */
@ApplicationScoped
public class RequestErasure {

    private static final Logger LOG = Logger.getLogger(RequestErasure.class);

    /** The recorded request, and whether this call made it (false: an earlier request did; nothing published now). */
    public record Outcome(ErasureRequest request, boolean first) {
    }

    private final Pool pool;
    private final ErasureRequestStore store;
    private final EventOutbox outbox;
    private final Clock clock;

    public RequestErasure(Pool pool, ErasureRequestStore store, EventOutbox outbox, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.outbox = outbox;
        this.clock = clock;
    }

    public Uni<Outcome> request(String customerId, String requestedBy, String reason) {
        // The database keeps microseconds: the event's erasedAt and every answer show the time as stored.
        Instant now = clock.instant().truncatedTo(ChronoUnit.MICROS);
        ErasureRequest request = new ErasureRequest(customerId, ErasureRequest.eventIdFor(customerId), now,
                requestedBy, reason);
        return pool.withTransaction(tx -> store.recordFirst(tx, request).chain(recorded -> {
                    if (recorded.isPresent()) {
                        EventEnvelope<CustomerErased> erased = EventEnvelope.of(request.eventId(),
                                ErasureRequest.SOURCE, now, customerId, new CustomerErased(now));
                        return outbox.write(tx, List.of(erased)).replaceWith(new Outcome(recorded.get(), true));
                    }
                    return store.find(tx, customerId).map(earlier -> new Outcome(earlier.orElseThrow(), false));
                }))
                .invoke(outcome -> {
                    if (outcome.first()) {
                        outbox.committed();
                        // The reason stays in the table: a log line names only the customer id and the actor.
                        LOG.infof("erasure of customer %s requested by %s (event %s)", customerId, requestedBy,
                                outcome.request().eventId());
                    }
                });
    }
}
