package dev.retention.eventing;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A minimal service effect for the kit's tests: one ledger row per order, one derived {@code points.changed} event
 * per order; the other types on {@code orders} are passed over. Orders named "reject-*" are refused by rule;
 * "violate-*" break a database constraint.
 */
@ApplicationScoped
public class TestLedgerHandler implements BatchHandler {

    /** Orders only: the kit passes over cancellations and returns on the topic. */
    @Override
    public Set<EventType> eventTypes() {
        return EnumSet.of(EventType.ORDER_PLACED);
    }

    @Override
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection transaction, List<EventEnvelope<?>> events) {
        List<String> ids = new ArrayList<>();
        List<String> customers = new ArrayList<>();
        List<String> orders = new ArrayList<>();
        List<BigDecimal> amounts = new ArrayList<>();
        List<EventEnvelope<?>> emitted = new ArrayList<>();
        for (EventEnvelope<?> event : events) {
            if (!(event.data() instanceof OrderPlaced order)) {
                continue;
            }
            if (order.orderId().startsWith("reject-")) {
                throw new EventRejectedException("order " + order.orderId() + " is refused by the test rule");
            }
            ids.add(event.id());
            customers.add(event.customerId());
            orders.add(order.orderId());
            amounts.add(order.merchandiseTotal());
            long points = order.merchandiseTotal().longValue();
            emitted.add(EventEnvelope.of(EventIds.derive(event.id(), "test.points"), "/eventing-test",
                    Instant.parse("2026-01-01T00:00:00Z"), event.customerId(),
                    new PointsChanged(EventIds.derive(event.id(), "test.entry"), PointsChanged.Kind.EARNED, points,
                            points, 0, 0, order.orderId(), "test", event.id(), order.placedAt())));
        }
        if (ids.isEmpty()) {
            return Uni.createFrom().item(emitted);
        }
        return transaction.preparedQuery("""
                        INSERT INTO test_ledger (event_id, customer_id, order_id, amount)
                        SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::numeric[])""")
                .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new))
                        .addArrayOfString(customers.toArray(String[]::new))
                        .addArrayOfString(orders.toArray(String[]::new))
                        .addArrayOfBigDecimal(amounts.toArray(BigDecimal[]::new)))
                .replaceWith(emitted);
    }
}
