package dev.retention.testsupport;

import java.net.URI;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh PostgreSQL database, dropped on {@link #close()}. The server comes from {@code RETENTION_TEST_DB_URL}
 * (for example {@code postgresql://postgres:secret@db.local:5432}) if set, else 127.0.0.1:5432 as user postgres,
 * else a Testcontainers PostgreSQL when a Docker engine is reachable; otherwise creation fails with what to do.
 */
public final class TestDatabase implements AutoCloseable {

    public static final String SERVER_URL_VARIABLE = "RETENTION_TEST_DB_URL";
    private static final String LOCAL_SERVER = "postgresql://postgres@127.0.0.1:5432";

    private static Server server;

    private final Server on;
    private final String name;

    private TestDatabase(Server on, String name) {
        this.on = on;
        this.name = name;
    }

    /** Creates {@code <prefix>_<random>}; the prefix names the service or test so leftovers are recognisable. */
    public static TestDatabase create(String prefix) {
        return createOn(server(), prefix);
    }

    /** Creates {@code <prefix>_<random>} on the given server (a {@link PostgresCluster}'s). */
    static TestDatabase createOn(Server target, String prefix) {
        String name = (prefix.replaceAll("[^A-Za-z0-9]", "_") + "_" + UUID.randomUUID().toString().substring(0, 8))
                .toLowerCase(Locale.ROOT);
        target.execute("CREATE DATABASE " + name);
        return new TestDatabase(target, name);
    }

    public String name() {
        return name;
    }

    public String jdbcUrl() {
        return "jdbc:postgresql://" + on.host + ":" + on.port + "/" + name + (on.rootCertificate == null ? ""
                : "?sslmode=verify-full&sslrootcert=" + on.rootCertificate);
    }

    /** The CA (PEM) the server's TLS certificate is verified against; null where the server is reached without TLS. */
    public java.nio.file.Path rootCertificate() {
        return on.rootCertificate;
    }

    /** The URL form of the Vert.x reactive PostgreSQL client. */
    public String reactiveUrl() {
        return "postgresql://" + on.host + ":" + on.port + "/" + name;
    }

    public String username() {
        return on.user;
    }

    public String password() {
        return on.password;
    }

    public Connection connect() throws SQLException {
        return DriverManager.getConnection(jdbcUrl(), on.properties());
    }

    /** A connection to the server's {@code postgres} database: for what is done to a database from outside. */
    public Connection connectToServer() throws SQLException {
        return DriverManager.getConnection(on.adminUrl(), on.properties());
    }

    @Override
    public void close() {
        on.execute("DROP DATABASE IF EXISTS " + name + " WITH (FORCE)");
    }

    private static synchronized Server server() {
        if (server == null) {
            server = locateServer();
        }
        return server;
    }

    private static Server locateServer() {
        String configured = System.getenv(SERVER_URL_VARIABLE);
        if (configured != null && !configured.isBlank()) {
            Server fromVariable = Server.parse(configured);
            fromVariable.requireReachable(SERVER_URL_VARIABLE + "=" + configured);
            return fromVariable;
        }
        Server local = Server.parse(LOCAL_SERVER);
        if (local.isReachable()) {
            return local;
        }
        if (DockerPostgres.dockerAvailable()) {
            return DockerPostgres.start();
        }
        throw new IllegalStateException("""
                No PostgreSQL server for the tests. Do one of:
                  - start PostgreSQL on 127.0.0.1:5432 with trust authentication for user postgres, or
                  - set %s to a server the tests may create databases on, e.g. postgresql://user:pass@host:5432, or
                  - make a Docker engine reachable, and Testcontainers will start PostgreSQL.""".formatted(SERVER_URL_VARIABLE));
    }

    /** A PostgreSQL server; {@code rootCertificate}, if not null, means TLS with the server verified against it. */
    record Server(String host, int port, String user, String password, java.nio.file.Path rootCertificate) {

        Server(String host, int port, String user, String password) {
            this(host, port, user, password, null);
        }

        static Server parse(String url) {
            URI uri = URI.create(url.startsWith("jdbc:") ? url.substring(5) : url);
            String user = "postgres";
            String password = "";
            if (uri.getUserInfo() != null) {
                String[] parts = uri.getUserInfo().split(":", 2);
                user = parts[0];
                password = parts.length > 1 ? parts[1] : "";
            }
            return new Server(uri.getHost(), uri.getPort() > 0 ? uri.getPort() : 5432, user, password);
        }

        Properties properties() {
            Properties properties = new Properties();
            if (rootCertificate != null) {
                properties.setProperty("sslmode", "verify-full");
                properties.setProperty("sslrootcert", rootCertificate.toString());
            }
            properties.setProperty("user", user);
            properties.setProperty("password", password);
            properties.setProperty("connectTimeout", "5");
            return properties;
        }

        boolean isReachable() {
            try (Connection ignored = DriverManager.getConnection(adminUrl(), properties())) {
                return true;
            } catch (SQLException e) {
                return false;
            }
        }

        void requireReachable(String what) {
            try (Connection ignored = DriverManager.getConnection(adminUrl(), properties())) {
                // reachable
            } catch (SQLException e) {
                throw new IllegalStateException("cannot reach the PostgreSQL server of " + what + ": " + e.getMessage(), e);
            }
        }

        void execute(String sql) {
            try (Connection connection = DriverManager.getConnection(adminUrl(), properties());
                 Statement statement = connection.createStatement()) {
                statement.execute(sql);
            } catch (SQLException e) {
                throw new IllegalStateException(sql + " failed on " + host + ":" + port + ": " + e.getMessage(), e);
            }
        }

        private String adminUrl() {
            return "jdbc:postgresql://" + host + ":" + port + "/postgres";
        }
    }
}
