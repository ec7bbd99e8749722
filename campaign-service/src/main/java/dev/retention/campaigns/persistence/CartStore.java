package dev.retention.campaigns.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.campaigns.domain.CartTimer;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.events.CartLine;
import dev.retention.eventing.ColumnBinder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static dev.retention.eventing.SqlValues.instant;
import static dev.retention.eventing.SqlValues.sortedKeys;
import static dev.retention.eventing.SqlValues.timestamp;

/** The carts and their reminder timers (V10): loaded by id, saved in one statement, due rows by the partial index. */
@ApplicationScoped
public class CartStore {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final TypeReference<List<CartLine>> LINES = new TypeReference<>() {
    };

    private static final ColumnBinder<CartTimer> CARTS = ColumnBinder.<CartTimer>builder()
            .text("cart_id", CartTimer::cartId)
            .text("customer_id", CartTimer::customerId)
            .text("state", cart -> cart.state().name())
            .text("lines", cart -> json(cart.lines()))
            .timestamptz("updated_at", CartTimer::updatedAt)
            .timestamptz("last_activity_at", CartTimer::lastActivityAt)
            .timestamptz("due_at", CartTimer::dueAt)
            .integer("step", CartTimer::step)
            .text("update_event_id", CartTimer::updateEventId)
            .build();

    private static final String LOAD = "SELECT " + CARTS.names() + " FROM campaign_cart"
            + " WHERE cart_id = ANY($1::text[])"
            + " OR (customer_id = ANY($2::text[]) AND state IN ('OPEN', 'EMPTIED'))";
    // A cart's customer never changes (CampaignState refuses a cart of another customer).
    private static final String SAVE = CARTS.insertInto("campaign_cart")
            + " ON CONFLICT (cart_id) DO UPDATE SET " + CARTS.assignments("excluded", "cart_id", "customer_id");
    private static final String DUE = "SELECT " + CARTS.names() + " FROM campaign_cart"
            + " WHERE due_at <= $1 ORDER BY due_at LIMIT $2 FOR UPDATE SKIP LOCKED";

    /**
     * The carts named, and the open or emptied carts of {@code erasedCustomers}; the caller holds the customers'
     * locks, which guard their carts.
     */
    public Uni<Map<String, CartTimer>> carts(SqlConnection tx, Collection<String> cartIds,
                                             Collection<String> erasedCustomers) {
        if (cartIds.isEmpty() && erasedCustomers.isEmpty()) {
            return Uni.createFrom().item(new HashMap<>());
        }
        return tx.preparedQuery(LOAD).execute(Tuple.tuple().addArrayOfString(sortedKeys(cartIds))
                .addArrayOfString(sortedKeys(erasedCustomers))).map(CartStore::carts);
    }

    public Uni<Void> save(SqlConnection tx, Collection<CartTimer> carts) {
        if (carts.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(SAVE).execute(CARTS.arrays(carts)).replaceWithVoid();
    }

    /** Carts whose next reminder is due, locked. */
    public Uni<Map<String, CartTimer>> lockDue(SqlConnection tx, Instant now, int limit) {
        return tx.preparedQuery(DUE).execute(Tuple.of(timestamp(now), limit)).map(CartStore::carts);
    }

    private static Map<String, CartTimer> carts(RowSet<Row> rows) {
        Map<String, CartTimer> carts = new LinkedHashMap<>();
        for (Row row : rows) {
            CartTimer cart = CartTimer.stored(row.getString("cart_id"), row.getString("customer_id"),
                    CartTimer.State.valueOf(row.getString("state")), lines(row.getString("lines")),
                    instant(row, "updated_at"), instant(row, "last_activity_at"), instant(row, "due_at"),
                    row.getInteger("step"), row.getString("update_event_id"));
            carts.put(cart.cartId(), cart);
        }
        return carts;
    }

    private static String json(List<CartLine> lines) {
        try {
            return JSON.writeValueAsString(lines);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cart lines not writable as JSON", e);
        }
    }

    private static List<CartLine> lines(String json) {
        try {
            return JSON.readValue(json, LINES);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cart lines not readable from JSON", e);
        }
    }
}
