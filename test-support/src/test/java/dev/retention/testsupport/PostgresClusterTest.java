package dev.retention.testsupport;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Properties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The test-owned cluster does what the fault and restore tests rely on: TLS alone, crash safety, recovery to a time. */
class PostgresClusterTest {

    private static PostgresCluster cluster;

    @BeforeAll
    static void startCluster() {
        cluster = PostgresCluster.create(Path.of("target"), true);
    }

    @AfterAll
    static void removeCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void connectionsWithoutTlsAreRefusedAndTlsConnectionsVerifyTheServer() throws Exception {
        Properties plain = new Properties();
        plain.setProperty("user", "postgres");
        plain.setProperty("sslmode", "disable");
        assertThatThrownBy(() -> DriverManager.getConnection(url("postgres"), plain).close())
                .isInstanceOf(SQLException.class).hasMessageContaining("no encryption");

        Properties verifying = new Properties();
        verifying.setProperty("user", "postgres");
        verifying.setProperty("sslmode", "verify-full");
        verifying.setProperty("sslrootcert", cluster.certificateAuthority().toString());
        try (Connection connection = DriverManager.getConnection(url("postgres"), verifying);
             ResultSet ssl = connection.createStatement().executeQuery(
                     "SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
            assertThat(ssl.next()).isTrue();
            assertThat(ssl.getBoolean(1)).as("the session is encrypted").isTrue();
        }

        Properties otherAuthority = new Properties();
        otherAuthority.setProperty("user", "postgres");
        otherAuthority.setProperty("sslmode", "verify-full");
        otherAuthority.setProperty("sslrootcert", TestCertificates.authority(Path.of("target/other-ca-"
                + System.nanoTime())).caCertificate().toString());
        assertThatThrownBy(() -> DriverManager.getConnection(url("postgres"), otherAuthority).close())
                .as("a server whose certificate another CA signed is not trusted").isInstanceOf(SQLException.class);
    }

    @Test
    void whatWasCommittedSurvivesAnImmediateShutdown() throws Exception {
        try (TestDatabase database = cluster.createDatabase("crash")) {
            try (Connection connection = database.connect(); var sql = connection.createStatement()) {
                sql.execute("CREATE TABLE entry (id int PRIMARY KEY)");
                sql.execute("INSERT INTO entry SELECT generate_series(1, 1000)");
            }
            cluster.restart(PostgresCluster.Shutdown.IMMEDIATE, Duration.ZERO);
            assertThat(count(database)).isEqualTo(1000);
            cluster.restart(PostgresCluster.Shutdown.FAST, Duration.ofMillis(100));
            assertThat(count(database)).isEqualTo(1000);
        }
    }

    @Test
    void aRecoveryToAPointInTimeKeepsWhatWasCommittedUntilThenAndNothingAfter() throws Exception {
        try (TestDatabase database = cluster.createDatabase("restore")) {
            recoverToAPointInTime(database);
        }
    }

    private static void recoverToAPointInTime(TestDatabase database) throws Exception {
        try (Connection connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("CREATE TABLE entry (id int PRIMARY KEY)");
        }
        Path backup = cluster.baseBackup();
        insert(database, 1, 500);
        Instant target = cluster.now();
        Thread.sleep(50);
        insert(database, 501, 800);
        cluster.archiveCurrentWal();
        assertThat(count(database)).isEqualTo(800);

        cluster.recoverTo(backup, target);

        assertThat(count(database)).as("rows committed up to the target time").isEqualTo(500);
        insert(database, 501, 600);
        assertThat(count(database)).as("the recovered cluster takes writes").isEqualTo(600);
    }

    private static void insert(TestDatabase database, int from, int to) throws SQLException {
        try (Connection connection = database.connect(); var sql = connection.createStatement()) {
            sql.execute("INSERT INTO entry SELECT generate_series(" + from + ", " + to + ")");
        }
    }

    private static long count(TestDatabase database) throws SQLException {
        try (Connection connection = database.connect();
             ResultSet count = connection.createStatement().executeQuery("SELECT count(*) FROM entry")) {
            count.next();
            return count.getLong(1);
        }
    }

    private static String url(String database) {
        return "jdbc:postgresql://127.0.0.1:" + cluster.port() + "/" + database;
    }
}
