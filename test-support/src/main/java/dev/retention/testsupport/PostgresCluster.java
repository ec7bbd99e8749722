package dev.retention.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A PostgreSQL cluster of the test's own, made with the machine's PostgreSQL binaries ({@code initdb} on a free
 * port), so that a test can do to it what an operator's cluster goes through: a fast or an immediate (crash)
 * shutdown and a restart, TLS with {@code hostssl} alone, WAL archived to a directory, a base backup and a recovery
 * to a point in time. The binaries come from {@code RETENTION_PG_BIN}, else {@code /usr/lib/postgresql/15/bin}.
 * PostgreSQL refuses to run as root: as root, its commands run as the user {@code postgres}.
 */
public final class PostgresCluster implements AutoCloseable {

    public static final String BINARIES_VARIABLE = "RETENTION_PG_BIN";
    private static final DateTimeFormatter RECOVERY_TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSSxxx")
            .withZone(ZoneOffset.UTC);

    /** How the server stops: as an orchestrator stops it, or as a crash leaves it (recovery from WAL on start). */
    public enum Shutdown {
        FAST("fast"), IMMEDIATE("immediate");

        private final String mode;

        Shutdown(String mode) {
            this.mode = mode;
        }
    }

    private final Path home;
    private final Path data;
    private final Path archive;
    private final Path log;
    private final Path binaries;
    private final int port;
    private final TestCertificates certificates;
    private final boolean asPostgresUser;
    private final List<String> extraSettings;

    private PostgresCluster(Path home, Path binaries, int port, TestCertificates certificates,
                            List<String> extraSettings) {
        this.extraSettings = extraSettings;
        this.home = home;
        this.data = home.resolve("data");
        this.archive = home.resolve("wal-archive");
        this.log = home.resolve("postgres.log");
        this.binaries = binaries;
        this.port = port;
        this.certificates = certificates;
        this.asPostgresUser = "root".equals(System.getProperty("user.name"));
    }

    /**
     * Creates and starts a cluster in a new directory under {@code parent}: trust authentication for the user
     * {@code postgres} on 127.0.0.1 only, WAL archived to {@link #walArchive()}; with {@code tls}, connections
     * without TLS are refused ({@code hostssl} alone) and the server's certificate is signed by
     * {@link #certificateAuthority()} for 127.0.0.1 and localhost.
     */
    public static PostgresCluster create(Path parent, boolean tls) {
        return create(parent, tls, List.of());
    }

    /**
     * As {@link #create(Path, boolean)}, with further lines for {@code postgresql.conf}: for a benchmark's profile,
     * {@code shared_preload_libraries = 'pg_stat_statements'}.
     */
    public static PostgresCluster create(Path parent, boolean tls, List<String> settings) {
        try {
            Files.createDirectories(parent);
            Path home = Files.createTempDirectory(parent.toAbsolutePath(), "postgres-");
            Path binaries = Path.of(System.getenv().getOrDefault(BINARIES_VARIABLE, "/usr/lib/postgresql/15/bin"));
            if (!Files.isExecutable(binaries.resolve("initdb"))) {
                throw new IllegalStateException("no PostgreSQL binaries in " + binaries + ": install PostgreSQL "
                        + "(Debian: postgresql-15) or set " + BINARIES_VARIABLE + " to the directory of initdb");
            }
            TestCertificates certificates = tls ? TestCertificates.authority(home.resolve("tls")) : null;
            PostgresCluster cluster = new PostgresCluster(home, binaries, freePort(), certificates,
                    List.copyOf(settings));
            cluster.initialise();
            cluster.start();
            return cluster;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void initialise() throws IOException {
        Files.createDirectories(archive);
        handToPostgres(home);
        run(binaries.resolve("initdb").toString(), "-D", data.toString(), "-U", "postgres", "-A", "trust",
                "--no-sync", "-E", "UTF8", "--locale=C");
        List<String> settings = new ArrayList<>(List.of(
                "listen_addresses = '127.0.0.1'",
                "port = " + port,
                "unix_socket_directories = ''",
                "max_connections = 200",
                "fsync = on", // as in production: a commit is on disk when it is acknowledged
                "wal_level = replica",
                "archive_mode = on",
                "archive_command = 'test ! -f " + archive + "/%f && cp %p " + archive + "/%f'",
                "archive_timeout = 1",
                "max_wal_senders = 4"));
        settings.addAll(extraSettings);
        StringBuilder access = new StringBuilder("local all all trust\n");
        if (certificates != null) {
            Path key = home.resolve("tls/server.key");
            Path certificate = writeServerKeyAndCertificate(key);
            settings.addAll(List.of("ssl = on", "ssl_cert_file = '" + certificate + "'",
                    "ssl_key_file = '" + key + "'"));
            access.append("hostssl all all 127.0.0.1/32 trust\n");
            access.append("hostssl replication all 127.0.0.1/32 trust\n");
        } else {
            access.append("host all all 127.0.0.1/32 trust\n");
            access.append("host replication all 127.0.0.1/32 trust\n");
        }
        Files.writeString(data.resolve("postgresql.auto.conf"), String.join("\n", settings) + "\n");
        Files.writeString(data.resolve("pg_hba.conf"), access.toString());
        handToPostgres(home);
    }

    /** The server's key (PKCS#8 PEM, readable by its owner alone, as PostgreSQL demands) and certificate chain. */
    private Path writeServerKeyAndCertificate(Path key) throws IOException {
        Path store = certificates.keyStore("postgres-server");
        try {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            try (var in = Files.newInputStream(store)) {
                keys.load(in, certificates.password().toCharArray());
            }
            PrivateKey privateKey = (PrivateKey) keys.getKey("key", certificates.password().toCharArray());
            Files.writeString(key, pem("PRIVATE KEY", privateKey.getEncoded()));
            Files.setPosixFilePermissions(key, PosixFilePermissions.fromString("rw-------"));
            Path certificate = home.resolve("tls/server.crt");
            StringBuilder chain = new StringBuilder();
            for (var link : keys.getCertificateChain("key")) {
                chain.append(pem("CERTIFICATE", link.getEncoded()));
            }
            Files.writeString(certificate, chain.toString());
            return certificate;
        } catch (IOException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException("cannot write the server's key: " + e.getMessage(), e);
        }
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    public int port() {
        return port;
    }

    /** The CA that signed the server's certificate (PEM), for {@code sslrootcert}; null without TLS. */
    public Path certificateAuthority() {
        return certificates == null ? null : certificates.caCertificate();
    }

    public Path walArchive() {
        return archive;
    }

    /** A new database on this cluster, dropped on its {@link TestDatabase#close()}. */
    public TestDatabase createDatabase(String prefix) {
        return TestDatabase.createOn(server(), prefix);
    }

    /** A connection to the {@code postgres} database, TLS-verified when the cluster requires TLS. */
    public Connection connect() throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", server().properties());
    }

    TestDatabase.Server server() {
        return new TestDatabase.Server("127.0.0.1", port, "postgres", "",
                certificates == null ? null : certificates.caCertificate());
    }

    /** Starts the server and waits until it accepts connections (after crash recovery, if it crashed). */
    public void start() {
        run(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-l", log.toString(), "-w", "-t", "120",
                "start");
    }

    public void stop(Shutdown shutdown) {
        run(binaries.resolve("pg_ctl").toString(), "-D", data.toString(), "-m", shutdown.mode, "-w", "-t", "120",
                "stop");
    }

    /** Stops the server as {@code shutdown} says, leaves it down for {@code down}, and starts it again. */
    public void restart(Shutdown shutdown, Duration down) throws InterruptedException {
        stop(shutdown);
        Thread.sleep(down.toMillis());
        start();
    }

    /** Now, as the server's clock has it: the moment to recover to, from the same clock as the commits. */
    public Instant now() throws SQLException {
        try (Connection connection = connect();
             ResultSet now = connection.createStatement().executeQuery("SELECT clock_timestamp()")) {
            now.next();
            return now.getTimestamp(1).toInstant();
        }
    }

    /** Switches to a new WAL segment and waits until the one before is archived: what was committed is in the archive. */
    public void archiveCurrentWal() throws SQLException, InterruptedException {
        try (Connection connection = connect(); var sql = connection.createStatement()) {
            ResultSet switched = sql.executeQuery("SELECT pg_walfile_name(pg_switch_wal())");
            switched.next();
            String segment = switched.getString(1);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!Files.exists(archive.resolve(segment))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("WAL segment " + segment + " not archived within 60 s; see " + log);
                }
                Thread.sleep(100);
            }
        }
    }

    /** A base backup of the running cluster (plain format, with the WAL it needs) into a new directory. */
    public Path baseBackup() {
        Path backup = home.resolve("base-backup-" + System.nanoTime());
        run(binaries.resolve("pg_basebackup").toString(), "-d", "host=127.0.0.1 port=" + port + " user=postgres"
                + (certificates == null ? "" : " sslmode=verify-full sslrootcert=" + certificates.caCertificate()),
                "-D", backup.toString(), "-X", "stream", "-c", "fast");
        return backup;
    }

    /**
     * The runbook's restore, on this machine: the server stops (immediate, as a lost one would), its data directory
     * is replaced by {@code backup}, and it recovers from the WAL archive up to {@code target} (inclusive) and then
     * takes writes again, on the same port. What was committed after {@code target} is gone.
     */
    public void recoverTo(Path backup, Instant target) throws IOException, InterruptedException, SQLException {
        stop(Shutdown.IMMEDIATE);
        Path lost = home.resolve("data-lost-" + System.nanoTime());
        Files.move(data, lost);
        run("cp", "-a", backup.toString(), data.toString());
        Files.writeString(data.resolve("recovery.signal"), "");
        Files.writeString(data.resolve("postgresql.auto.conf"), Files.readString(data.resolve("postgresql.auto.conf"))
                + "restore_command = 'cp " + archive + "/%f %p'\n"
                + "recovery_target_time = '" + RECOVERY_TIME.format(target) + "'\n"
                + "recovery_target_inclusive = on\n"
                + "recovery_target_action = 'promote'\n");
        handToPostgres(data);
        start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (true) {
            try (Connection connection = connect();
                 ResultSet recovering = connection.createStatement().executeQuery("SELECT pg_is_in_recovery()")) {
                recovering.next();
                if (!recovering.getBoolean(1)) {
                    return;
                }
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("still in recovery after 120 s; see " + log);
            }
            Thread.sleep(200);
        }
    }

    /** The ids of the server's processes (postmaster and backends): for the CPU a benchmark charges to PostgreSQL. */
    public List<Long> processIds() throws IOException {
        long postmaster = Long.parseLong(Files.readAllLines(data.resolve("postmaster.pid")).get(0).trim());
        return ProcessHandle.of(postmaster).map(p -> Stream.concat(Stream.of(p), p.descendants())
                .map(ProcessHandle::pid).toList()).orElse(List.of());
    }

    /** The server's log: for a failure's message. */
    public Path log() {
        return log;
    }

    @Override
    public void close() {
        try {
            stop(Shutdown.IMMEDIATE);
        } catch (RuntimeException alreadyStopped) {
            // nothing to stop
        }
        try (Stream<Path> files = Files.walk(home)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void handToPostgres(Path path) {
        if (asPostgresUser) {
            run("chown", "-R", "postgres:postgres", path.toString());
        }
    }

    private void run(String... command) {
        List<String> line = new ArrayList<>();
        if (asPostgresUser && !command[0].equals("chown")) {
            line.addAll(List.of("runuser", "-u", "postgres", "--"));
        }
        line.addAll(List.of(command));
        try {
            Path output = Files.createTempFile("postgres-command", ".log");
            try {
                Process process = new ProcessBuilder(line).redirectErrorStream(true).redirectOutput(output.toFile())
                        .start();
                if (!process.waitFor(180, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                    throw new IllegalStateException(String.join(" ", line) + " did not finish in 180 s");
                }
                if (process.exitValue() != 0) {
                    throw new IllegalStateException(String.join(" ", line) + " failed (" + process.exitValue()
                            + "): " + Files.readString(output) + tail(log));
                }
            } finally {
                Files.deleteIfExists(output);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(String.join(" ", line) + " interrupted", e);
        }
    }

    private static String tail(Path log) throws IOException {
        if (!Files.exists(log)) {
            return "";
        }
        List<String> lines = Files.readAllLines(log);
        return "\nserver log:\n" + String.join("\n", lines.subList(Math.max(0, lines.size() - 20), lines.size()));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
