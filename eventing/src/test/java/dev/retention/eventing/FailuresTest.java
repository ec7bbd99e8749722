package dev.retention.eventing;

import io.vertx.pgclient.PgException;
import io.vertx.sqlclient.ClosedConnectionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FailuresTest {

    @Test
    void aDatabaseThatRefusesOrDropsTheSessionIsTheInfrastructureWhateverTheCode() {
        // While a database is closed to connections (as during a restart or maintenance) the server answers FATAL
        // 55000; retrying is right, dead-lettering the events of the batch would lose them for the business.
        assertThat(Failures.isTransient(new PgException("database \"x\" is not currently accepting connections",
                "FATAL", "55000", null))).isTrue();
        assertThat(Failures.isTransient(new PgException("terminating connection due to administrator command",
                "FATAL", "57P01", null))).isTrue();
        assertThat(Failures.isTransient(new PgException("too many clients already", "FATAL", "53300", null)))
                .isTrue();
        assertThat(Failures.isTransient(new RuntimeException("wrapped", ClosedConnectionException.INSTANCE)))
                .isTrue();
    }

    @Test
    void anErrorAboutTheStatementsDataIsTheEvents() {
        assertThat(Failures.isTransient(new PgException("new row violates check constraint", "ERROR", "23514",
                null))).isFalse();
        assertThat(Failures.isTransient(new PgException("numeric field overflow", "ERROR", "22003", null)))
                .isFalse();
        assertThat(Failures.isTransient(new PgException("deadlock detected", "ERROR", "40P01", null))).isTrue();
    }
}
