package dev.retention.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

class FaultyTcpProxyTest {

    private final List<AutoCloseable> toClose = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable closeable : toClose.reversed()) {
            closeable.close();
        }
    }

    @Test
    void delaysEveryRoundTripUntilToldToStop() throws Exception {
        FaultyTcpProxy proxy = proxyToPostgres();
        Connection connection = connect(proxy);
        assertThat(selectOne(connection)).isEqualTo(1);

        proxy.delay(Duration.ofMillis(300), Duration.ofMillis(300));
        Duration slow = timed(() -> selectOne(connection));
        proxy.noDelay();
        Duration fast = timed(() -> selectOne(connection));

        // A query and its answer are one chunk each way: 300 ms per direction.
        assertThat(slow).isBetween(Duration.ofMillis(250), Duration.ofSeconds(3));
        assertThat(fast).isLessThan(Duration.ofMillis(200));
        assertThat(proxy.bytesForwarded()).isPositive();
    }

    @Test
    void resetBreaksOpenConnectionsAndNewOnesWork() throws Exception {
        FaultyTcpProxy proxy = proxyToPostgres();
        Connection before = connect(proxy);
        assertThat(selectOne(before)).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);

        proxy.resetConnections();

        assertThat(proxy.openConnections()).isZero();
        // 08006: PgJDBC's connection failure, the I/O error the services see when the database drops them.
        assertThatThrownBy(() -> selectOne(before)).isInstanceOf(SQLException.class)
                .extracting(e -> ((SQLException) e).getSQLState()).isEqualTo("08006");
        assertThat(selectOne(connect(proxy))).isEqualTo(1);
        assertThat(proxy.openConnections()).isEqualTo(1);
    }

    @Test
    void refusedConnectionsFailUntilTheDatabaseIsBack() throws Exception {
        FaultyTcpProxy proxy = proxyToPostgres();

        proxy.refuse(true);
        assertThatThrownBy(() -> connect(proxy)).isInstanceOf(SQLException.class);
        assertThat(proxy.openConnections()).isZero();

        proxy.refuse(false);
        assertThat(selectOne(connect(proxy))).isEqualTo(1);
    }

    @Test
    void randomDelaysPerChunkKeepTheBytesInOrder() throws Exception {
        ServerSocket echo = echoServer();
        FaultyTcpProxy proxy = track(FaultyTcpProxy.start("127.0.0.1", echo.getLocalPort()));
        proxy.delay(Duration.ZERO, Duration.ofMillis(20));
        ByteArrayOutputStream sent = new ByteArrayOutputStream();
        for (int i = 0; i < 2_000; i++) {
            sent.writeBytes("message %04d\n".formatted(i).getBytes(StandardCharsets.US_ASCII));
        }
        byte[] expected = sent.toByteArray();

        Socket socket = track(new Socket("127.0.0.1", proxy.port()));
        socket.setTcpNoDelay(true);
        socket.setSoTimeout(10_000);
        Thread writer = Thread.ofVirtual().name("echo-writer").start(() -> {
            try {
                OutputStream out = socket.getOutputStream();
                // One message a write and a pause every 10, so that the proxy reads hundreds of separate chunks,
                // each with its own random delay.
                for (int i = 0; i < 2_000; i++) {
                    out.write(expected, i * 13, 13);
                    if (i % 10 == 9) {
                        Thread.sleep(1);
                    }
                }
            } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        byte[] received = socket.getInputStream().readNBytes(expected.length);
        writer.join();

        assertThat(new String(received, StandardCharsets.US_ASCII))
                .isEqualTo(new String(expected, StandardCharsets.US_ASCII));
        // The count follows each write, so it may trail the bytes the echo has already handed back by a moment.
        await().atMost(Duration.ofSeconds(2)).untilAsserted(
                () -> assertThat(proxy.bytesForwarded()).isEqualTo(2L * expected.length));
    }

    @Test
    void aReceiverThatDoesNotReadStopsTheSenderInsteadOfFillingMemory() throws Exception {
        ServerSocket sink = track(new ServerSocket());
        sink.setReceiveBufferSize(64 * 1024);
        sink.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
        FaultyTcpProxy proxy = track(FaultyTcpProxy.start("127.0.0.1", sink.getLocalPort()));
        Socket sender = track(new Socket());
        sender.setSendBufferSize(64 * 1024);
        sender.connect(new InetSocketAddress("127.0.0.1", proxy.port()));
        track(sink.accept());

        AtomicLong written = new AtomicLong();
        Thread writer = Thread.ofVirtual().name("flooding-writer").start(() -> {
            byte[] block = new byte[64 * 1024];
            try {
                OutputStream out = sender.getOutputStream();
                for (int i = 0; i < 4_096; i++) {
                    out.write(block);
                    written.addAndGet(block.length);
                }
            } catch (IOException e) {
                // The proxy's close at the end of the test breaks the blocked write.
            }
        });
        await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(new Stalled(written)::check);

        // 256 MiB offered; what is accepted is the queue (1 MiB) plus kernel socket buffers (at most 32 MiB to
        // receive, 4 MiB to send here): an unbounded proxy would take it all within a second.
        assertThat(writer.isAlive()).isTrue();
        assertThat(written.get()).isPositive().isLessThan(64L * 1024 * 1024);
    }

    /** True once the counter has not moved since the previous check. */
    private static final class Stalled {
        private final AtomicLong counter;
        private long previous = -1;

        Stalled(AtomicLong counter) {
            this.counter = counter;
        }

        boolean check() {
            long now = counter.get();
            boolean stalled = now == previous && now > 0;
            previous = now;
            return stalled;
        }
    }

    private FaultyTcpProxy proxyToPostgres() {
        return track(FaultyTcpProxy.start("127.0.0.1", 5432));
    }

    private Connection connect(FaultyTcpProxy proxy) throws SQLException {
        Properties properties = new Properties();
        properties.setProperty("user", "postgres");
        properties.setProperty("connectTimeout", "5");
        return track(DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + proxy.port() + "/postgres",
                properties));
    }

    private static int selectOne(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery("SELECT 1")) {
            rows.next();
            return rows.getInt(1);
        }
    }

    private interface Query {
        void run() throws SQLException;
    }

    private static Duration timed(Query query) throws SQLException {
        long start = System.nanoTime();
        query.run();
        return Duration.ofNanos(System.nanoTime() - start);
    }

    private ServerSocket echoServer() throws IOException {
        ServerSocket server = track(new ServerSocket(0, 50, InetAddress.getByName("127.0.0.1")));
        Thread.ofVirtual().name("echo-server").start(() -> {
            try (Socket socket = server.accept(); InputStream in = socket.getInputStream();
                 OutputStream out = socket.getOutputStream()) {
                in.transferTo(out);
            } catch (IOException e) {
                // Closed at the end of the test.
            }
        });
        return server;
    }

    private <T extends AutoCloseable> T track(T closeable) {
        toClose.add(closeable);
        return closeable;
    }
}
