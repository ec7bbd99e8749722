package dev.retention.testsupport;

import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Duration;

import static org.awaitility.Awaitility.await;

/** For tests of concurrent writers: waits until a statement of the service waits for a row another session holds. */
public final class LockWaits {

    private LockWaits() {
    }

    /** Waits (30 s at most) until one session's {@code INSERT INTO <table>} waits for a lock. */
    public static void awaitInsertWaiting(Pool pool, String table) {
        await().atMost(Duration.ofSeconds(30)).until(() -> pool.preparedQuery("""
                        SELECT count(*) FROM pg_stat_activity
                        WHERE wait_event_type = 'Lock' AND query LIKE 'INSERT INTO ' || $1 || ' %'""")
                .executeAndAwait(Tuple.of(table)).iterator().next().getLong(0) == 1);
    }
}
