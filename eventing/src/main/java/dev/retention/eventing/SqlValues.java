package dev.retention.eventing;

import io.vertx.mutiny.sqlclient.Row;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;

/** Conversions every service's multi-row SQL needs on the reactive PostgreSQL client. */
public final class SqlValues {

    private SqlValues() {
    }

    /**
     * Distinct and sorted, for statements that lock rows in the array's order, such as
     * {@code INSERT ... SELECT unnest($1::text[]) ON CONFLICT DO NOTHING}: rows locked in key order, so two
     * transactions never wait on each other in a circle. A {@code SELECT ... ORDER BY key FOR UPDATE} locks in its
     * own order and a plain read in none: {@link #distinctKeys} spares them the sort.
     *
     * <p>The services look rows up by primary key with {@code IN (SELECT unnest(...))}, not {@code = ANY(...)}:
     * PostgreSQL plans the first as a join, one index probe per key, even without table statistics. For
     * {@code = ANY} of a batch's 1,600 keys it chose to scan the whole table (100,000 accounts: 20 to 26 ms against
     * 10 to 12 ms). Queries that filter on more than the key keep {@code = ANY}: as a semi-join they read every row
     * the other conditions allow (a customer's mails of the last week: every mail of the week).
     */
    public static String[] sortedKeys(Collection<String> keys) {
        String[] distinct = distinctKeys(keys);
        Arrays.sort(distinct);
        return distinct;
    }

    /** Distinct, in no particular order: for {@code ... ORDER BY key FOR UPDATE} and reads. */
    public static String[] distinctKeys(Collection<String> keys) {
        return (keys instanceof Set<String> set ? set : new HashSet<>(keys)).toArray(String[]::new);
    }

    /** A {@code timestamptz} parameter (null stays null). */
    public static OffsetDateTime timestamp(Instant instant) {
        // Not instant.atOffset(UTC): on Java 17 that builds a new ZoneRules for every value, on the hot path.
        return instant == null ? null : OffsetDateTime.of(LocalDateTime.ofEpochSecond(instant.getEpochSecond(),
                instant.getNano(), ZoneOffset.UTC), ZoneOffset.UTC);
    }

    /** A {@code timestamptz} column as an instant (null stays null). */
    public static Instant instant(Row row, String column) {
        OffsetDateTime value = row.getOffsetDateTime(column);
        return value == null ? null : value.toInstant();
    }
}
