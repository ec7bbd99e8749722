package dev.retention.local;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's local run, as a user runs it: start everything, run the demo, check what came out, stop, and nothing
 * is left running. Uses free ports and its own databases so that it does not collide with a local run in use.
 */
class LocalPlatformTest {

    private static final String DB_PREFIX = "retention_localtest_" + UUID.randomUUID().toString().substring(0, 8);
    private static LocalPlatform platform;

    @Test
    void startsRunsTheDemoAndStopsLeavingNothingRunning() throws Exception {
        int httpPort = freeRange(8);
        int managementPort = httpPort + 4;
        platform = new LocalPlatform(Map.of("root", "..", "state", "system-tests/target/local-test",
                "kafka-port", Integer.toString(freePort()), "http-port", Integer.toString(httpPort),
                "management-port", Integer.toString(managementPort), "smtp-port", Integer.toString(freePort()),
                "db-prefix", DB_PREFIX));

        assertThat(platform.start()).isZero();
        assertThat(platform.status()).isZero();
        // The APIs refuse a call without a token (the demo below reads them with one).
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort + "/customers/c-1/points")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);

        PrintStream console = System.out;
        ByteArrayOutputStream demoOutput = new ByteArrayOutputStream();
        int demo;
        try {
            System.setOut(new PrintStream(demoOutput, true, StandardCharsets.UTF_8));
            demo = platform.demo();
        } finally {
            System.setOut(console);
        }
        String shown = demoOutput.toString(StandardCharsets.UTF_8);
        console.println(shown);
        assertThat(demo).as(shown).isZero();
        assertThat(shown).contains("Demo complete.", "delay-apology (voucher SORRY-", "birthday-offer (voucher BDAY-",
                "tier-up", "\"tier\":\"silver\"", "We are sorry: your parcel is late", "Alles Gute zum Geburtstag");
        assertThat(Files.list(Path.of("target/local-test/mail")).count()).isGreaterThanOrEqualTo(6);

        assertThat(platform.stop()).isZero();
        assertThat(platform.status()).as("everything stopped").isEqualTo(3);
        assertThat(Files.list(Path.of("target/local-test/pids")).count()).isZero();
        for (int port = httpPort; port < managementPort + 4; port++) {
            assertThat(free(port)).as("port " + port + " released").isTrue();
        }
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (platform != null) {
            platform.stop();
        }
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
                ""); var sql = connection.createStatement()) {
            for (String name : new String[]{"points", "tiers", "campaigns", "notifications"}) {
                sql.execute("DROP DATABASE IF EXISTS " + DB_PREFIX + "_" + name + " WITH (FORCE)");
            }
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    /** The first of {@code count} consecutive free ports. */
    private static int freeRange(int count) throws IOException {
        for (int attempt = 0; attempt < 50; attempt++) {
            int first = freePort();
            boolean all = true;
            for (int port = first + 1; port < first + count && all; port++) {
                all = free(port);
            }
            if (all) {
                return first;
            }
        }
        throw new IllegalStateException("no " + count + " consecutive free ports");
    }

    private static boolean free(int port) {
        try (ServerSocket socket = new ServerSocket(port)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
