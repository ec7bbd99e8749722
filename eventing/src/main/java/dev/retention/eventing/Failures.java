package dev.retention.eventing;

import io.vertx.pgclient.PgException;

import java.io.IOException;
import java.util.concurrent.TimeoutException;

/**
 * Tells a failure of the infrastructure (retry the batch, the event is fine) from a failure of one event's data
 * (dead-letter that event, go on with the others).
 */
final class Failures {

    private Failures() {
    }

    static boolean isTransient(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof PgException pg) {
                // FATAL and PANIC end the session (the server refused or dropped the connection): never the data.
                return isSessionFailure(pg.getSeverity()) || isTransientSqlState(pg.getSqlState());
            }
            if (cause instanceof IOException || cause instanceof TimeoutException
                    || cause instanceof io.vertx.core.impl.NoStackTraceThrowable
                    || cause instanceof io.vertx.core.VertxException) {
                return true;
            }
            if (cause.getCause() == cause) {
                break;
            }
        }
        return false;
    }

    static boolean isSessionFailure(String severity) {
        return "FATAL".equals(severity) || "PANIC".equals(severity);
    }

    /**
     * 08 connection, 40 serialization failure or deadlock, 53 resources, 57 operator intervention (shutdown),
     * 58 system error, XX internal: nothing to do with the event. Everything else (22 data, 23 constraint, ...) is.
     */
    static boolean isTransientSqlState(String sqlState) {
        if (sqlState == null || sqlState.length() < 2) {
            return true;
        }
        return switch (sqlState.substring(0, 2)) {
            case "08", "40", "53", "57", "58", "XX" -> true;
            default -> false;
        };
    }
}
