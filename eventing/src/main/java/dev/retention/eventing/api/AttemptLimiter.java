package dev.retention.eventing.api;

import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.concurrent.atomic.AtomicLong;

/**
 * At most {@code limit} attempts per key (a customer, a voucher code) in each fixed window. The count lives in
 * PostgreSQL (table {@code api_attempt}, created by the service's migrations), so replicas and restarts share it.
 * It is taken in its own statement before the attempt's transaction: a refused or failed attempt (a wrong voucher
 * code) counts as much as a successful one, which is what stops guessing.
 */
public final class AttemptLimiter {

    private static final String COUNT = """
            INSERT INTO api_attempt (attempt_key, window_start, attempts) SELECT unnest($1::text[]), $2, 1
            ON CONFLICT (attempt_key, window_start) DO UPDATE SET attempts = api_attempt.attempts + 1
            RETURNING attempt_key, attempts""";
    private static final String PURGE = "DELETE FROM api_attempt WHERE window_start < $1";

    private final Pool pool;
    private final Clock clock;
    private final int limit;
    private final Duration window;
    /** Start of the newest window whose predecessors were purged; a new window purges the old ones once. */
    private final AtomicLong purgedUpTo = new AtomicLong();

    public AttemptLimiter(Pool pool, Clock clock, int limit, Duration window) {
        if (limit < 1 || window.toMillis() < 1000) {
            throw new IllegalArgumentException("limit must be at least 1 and the window at least 1 s");
        }
        this.pool = pool;
        this.clock = clock;
        this.limit = limit;
        this.window = window;
    }

    /**
     * Counts one attempt of {@code action} for each key ({@code kind:value}, e.g. {@code customer:c-1}); fails with {@link TooManyAttempts} (429) when any key is over the limit in
     * the current window.
     */
    public Uni<Void> attempt(String action, Collection<String> keys) {
        long windowMillis = window.toMillis();
        long now = clock.millis();
        long start = now - Math.floorMod(now, windowMillis);
        OffsetDateTime windowStart = Instant.ofEpochMilli(start).atOffset(ZoneOffset.UTC);
        String[] distinct = new LinkedHashSet<>(keys).stream().map(key -> action + ":" + key).toArray(String[]::new);
        Uni<Void> purge = purgedUpTo.getAndSet(start) == start ? Uni.createFrom().voidItem()
                : pool.preparedQuery(PURGE).execute(Tuple.of(windowStart)).replaceWithVoid();
        return purge.flatMap(x -> pool.preparedQuery(COUNT).execute(Tuple.of(distinct, windowStart)))
                .map(rows -> {
                    for (Row row : rows) {
                        if (row.getInteger("attempts") > limit) {
                            long retryAfter = Math.max(1, (start + windowMillis - now + 999) / 1000);
                            String key = row.getString("attempt_key").substring(action.length() + 1);
                            throw new TooManyAttempts(action, key.substring(0, Math.max(0, key.indexOf(':'))), limit,
                                    window, retryAfter);
                        }
                    }
                    return null;
                });
    }

    /** 429: too many attempts for one key; {@code retryAfterSeconds} until the window ends. */
    public static final class TooManyAttempts extends ApiProblem {
        private final long retryAfterSeconds;

        TooManyAttempts(String action, String keyKind, int limit, Duration window, long retryAfterSeconds) {
            super(429, "Too many attempts", "TOO_MANY_ATTEMPTS", "more than " + limit + " " + action
                    + " attempts for this " + keyKind + " within " + window.toSeconds() + " s; try again in "
                    + retryAfterSeconds + " s");
            this.retryAfterSeconds = retryAfterSeconds;
        }

        public long retryAfterSeconds() {
            return retryAfterSeconds;
        }
    }
}
