package dev.retention.campaigns.persistence;

import dev.retention.campaigns.domain.FeedbackAnswer;
import dev.retention.eventing.ColumnBinder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import static dev.retention.eventing.SqlValues.sortedKeys;

/**
 * {@code feedback} (V10): one answer per order, the first wins. The only table of the platform holding a feedback
 * comment; {@link #eraseComments} clears them on {@code customer.erased}.
 */
@ApplicationScoped
public class FeedbackStore {

    /** The order a feedback request (a trigger of the log) asked about, and whose it is. */
    public record FeedbackRequestOf(String customerId, String orderId) {
    }

    /** An answer as the table holds it; {@code commentAdded}: the thank-you page's comment form was used. */
    public record StoredAnswer(String customerId, String orderId, int score, boolean hasComment,
                               boolean commentAdded) {
    }

    private record Row(FeedbackAnswer answer, Instant recordedAt) {
    }

    private static final ColumnBinder<Row> COLUMNS = ColumnBinder.<Row>builder()
            .text("customer_id", r -> r.answer().customerId())
            .text("order_id", r -> r.answer().orderId())
            .integer("score", r -> r.answer().score())
            .text("comment", r -> r.answer().comment())
            .text("channel", r -> r.answer().channel().wireName())
            .text("source_event_id", r -> r.answer().sourceEventId())
            .timestamptz("answered_at", r -> r.answer().answeredAt())
            .timestamptz("recorded_at", Row::recordedAt)
            .build();
    private static final String RECORD = COLUMNS.insertInto("feedback")
            + " ON CONFLICT (customer_id, order_id) DO NOTHING RETURNING customer_id, order_id";
    private static final String ERASE_COMMENTS =
            "UPDATE feedback SET comment = NULL WHERE customer_id = ANY($1::text[]) AND comment IS NOT NULL";
    private static final String ANSWER = "SELECT customer_id, order_id, score, comment IS NOT NULL AS has_comment,"
            + " comment_added FROM feedback WHERE customer_id = $1 AND order_id = $2";
    private static final String LOCK_ANSWER = ANSWER + " FOR UPDATE";
    private static final String FEEDBACK_REQUEST = "SELECT customer_id, order_id FROM trigger_log"
            + " WHERE trigger_id = $1::uuid AND trigger_type = 'feedback-request' AND order_id IS NOT NULL";
    private static final String ADD_COMMENT = "UPDATE feedback SET comment = $3, comment_added = true"
            + " WHERE customer_id = $1 AND order_id = $2 AND NOT comment_added AND comment IS NULL RETURNING score";

    /**
     * Records the answers (at most one per customer and order in the list); returns the keys
     * ({@link #key}) of those that were new: an order answered before keeps its first answer.
     */
    public Uni<Set<String>> record(SqlConnection tx, Collection<FeedbackAnswer> answers, Instant now) {
        if (answers.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        List<Row> rows = answers.stream().map(a -> new Row(a, now)).toList();
        return tx.preparedQuery(RECORD).execute(COLUMNS.arrays(rows)).map(inserted -> {
            Set<String> keys = new HashSet<>();
            inserted.forEach(row -> keys.add(key(row.getString("customer_id"), row.getString("order_id"))));
            return keys;
        });
    }

    public static String key(String customerId, String orderId) {
        return customerId + "\u0000" + orderId;
    }

    /** Clears the comments of erased customers; the scores stay (they are no personal data beyond the id). */
    public Uni<Void> eraseComments(SqlConnection tx, Collection<String> customerIds) {
        if (customerIds.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return tx.preparedQuery(ERASE_COMMENTS).execute(Tuple.tuple().addArrayOfString(sortedKeys(customerIds)))
                .replaceWithVoid();
    }

    /** The feedback request {@code triggerId} (a UUID) names; empty when it is no feedback request of ours. */
    public Uni<Optional<FeedbackRequestOf>> feedbackRequest(SqlClient client, String triggerId) {
        return client.preparedQuery(FEEDBACK_REQUEST).execute(Tuple.of(triggerId)).map(rows -> {
            var it = rows.iterator();
            if (!it.hasNext()) {
                return Optional.empty();
            }
            var row = it.next();
            return Optional.of(new FeedbackRequestOf(row.getString("customer_id"), row.getString("order_id")));
        });
    }

    public Uni<Optional<StoredAnswer>> answer(SqlClient client, String customerId, String orderId) {
        return client.preparedQuery(ANSWER).execute(Tuple.of(customerId, orderId)).map(FeedbackStore::first);
    }

    public Uni<Optional<StoredAnswer>> lockAnswer(SqlConnection tx, String customerId, String orderId) {
        return tx.preparedQuery(LOCK_ANSWER).execute(Tuple.of(customerId, orderId)).map(FeedbackStore::first);
    }

    /**
     * The comment of the thank-you page, once, and only where the answer came without one; the answer's score when
     * it was added, none when not.
     */
    public Uni<Optional<Integer>> addComment(SqlConnection tx, String customerId, String orderId, String comment) {
        return tx.preparedQuery(ADD_COMMENT).execute(Tuple.of(customerId, orderId, comment)).map(rows -> {
            var it = rows.iterator();
            return it.hasNext() ? Optional.of(it.next().getInteger("score")) : Optional.<Integer>empty();
        });
    }

    private static Optional<StoredAnswer> first(io.vertx.mutiny.sqlclient.RowSet<io.vertx.mutiny.sqlclient.Row> rows) {
        var it = rows.iterator();
        if (!it.hasNext()) {
            return Optional.empty();
        }
        var row = it.next();
        return Optional.of(new StoredAnswer(row.getString("customer_id"), row.getString("order_id"),
                row.getInteger("score"), row.getBoolean("has_comment"), row.getBoolean("comment_added")));
    }
}
