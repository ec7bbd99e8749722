package dev.retention.notifications.persistence;

import dev.retention.notifications.domain.ErasureRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.timestamp;

/** The erasure requests made through the API, one per customer. */
@ApplicationScoped
public class ErasureRequestStore {

    private static final String COLUMNS = "customer_id, event_id, requested_at, requested_by, reason";
    /**
     * A concurrent request for the same customer waits on the key, then inserts nothing: only one of them publishes.
     * The row as stored (timestamps in microseconds) is what every answer shows.
     */
    private static final String RECORD = "INSERT INTO customer_erasure_request (" + COLUMNS
            + ") VALUES ($1, $2, $3, $4, $5) ON CONFLICT (customer_id) DO NOTHING RETURNING " + COLUMNS;
    private static final String FIND = "SELECT " + COLUMNS + " FROM customer_erasure_request WHERE customer_id = $1";

    /** The request as stored when it is the customer's first; empty when one was recorded before. */
    public Uni<Optional<ErasureRequest>> recordFirst(SqlClient client, ErasureRequest request) {
        return client.preparedQuery(RECORD).execute(Tuple.of(request.customerId(), request.eventId(),
                        timestamp(request.requestedAt()), request.requestedBy(), request.reason()))
                .map(ErasureRequestStore::first);
    }

    public Uni<Optional<ErasureRequest>> find(SqlClient client, String customerId) {
        return client.preparedQuery(FIND).execute(Tuple.of(customerId)).map(ErasureRequestStore::first);
    }

    private static Optional<ErasureRequest> first(RowSet<Row> rows) {
        for (Row row : rows) {
            return Optional.of(new ErasureRequest(row.getString("customer_id"), row.getString("event_id"),
                    instant(row, "requested_at"), row.getString("requested_by"), row.getString("reason")));
        }
        return Optional.empty();
    }
}
