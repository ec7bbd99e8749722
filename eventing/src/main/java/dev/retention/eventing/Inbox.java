package dev.retention.eventing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** The ids a service has applied. Claiming is one multi-row statement per batch. */
final class Inbox {

    private static final String CLAIM = """
            INSERT INTO eventing_inbox (event_id)
            SELECT unnest($1::text[])
            ON CONFLICT (event_id) DO NOTHING
            RETURNING event_id""";

    private Inbox() {
    }

    /** Records the ids and returns those that were new: only these may take effect. */
    static Uni<Set<String>> claim(SqlConnection transaction, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return transaction.preparedQuery(CLAIM)
                .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new)))
                .map(rows -> {
                    Set<String> fresh = new HashSet<>();
                    for (Row row : rows) {
                        fresh.add(row.getString(0));
                    }
                    return fresh;
                });
    }
}
