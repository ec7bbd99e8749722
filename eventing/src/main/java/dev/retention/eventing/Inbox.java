package dev.retention.eventing;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The ids a service has applied. Claiming is two multi-row statements per batch: a read of the ids applied before,
 * then a plain insert of the others. {@code INSERT ... ON CONFLICT DO NOTHING} did it in one, but its speculative
 * insertion costs a write-ahead log record and an index probe more for every event, and nearly every event is new.
 * An id another transaction inserts between the two statements (two consumers of one partition during a
 * rebalance) fails the insert: the kit then applies the batch again event by event, and the read finds it.
 */
final class Inbox {

    private static final String APPLIED_BEFORE = """
            SELECT event_id FROM eventing_inbox WHERE event_id IN (SELECT unnest($1::text[]))""";
    private static final String RECORD = "INSERT INTO eventing_inbox (event_id) SELECT unnest($1::text[])";

    private Inbox() {
    }

    /** Records the ids and returns those that were new: only these may take effect. */
    static Uni<Set<String>> claim(SqlConnection transaction, Collection<String> ids) {
        if (ids.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return transaction.preparedQuery(APPLIED_BEFORE)
                .execute(Tuple.tuple().addArrayOfString(ids.toArray(String[]::new)))
                .flatMap(applied -> {
                    Set<String> fresh = new LinkedHashSet<>(ids);
                    for (Row row : applied) {
                        fresh.remove(row.getString(0));
                    }
                    if (fresh.isEmpty()) {
                        return Uni.createFrom().item(fresh);
                    }
                    return transaction.preparedQuery(RECORD)
                            .execute(Tuple.tuple().addArrayOfString(fresh.toArray(String[]::new)))
                            .replaceWith(fresh);
                });
    }
}
