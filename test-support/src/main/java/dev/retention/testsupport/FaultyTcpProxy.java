package dev.retention.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A TCP proxy the system tests put between the services (reactive PostgreSQL client, Flyway over JDBC) and
 * PostgreSQL, to make the database slow ({@link #delay}), drop every connection at once ({@link #resetConnections})
 * or look down ({@link #refuse}). It passes bytes through unchanged and undelayed until told otherwise.
 *
 * <p>A delay applies to both directions: every chunk read (at most {@value #CHUNK_BYTES} bytes) is written on after
 * its own delay, drawn when it was read. One writer per direction takes the chunks in the order they were read and
 * sleeps until each is due, so a chunk never overtakes an earlier one, and the delays of chunks in flight overlap
 * (latency, not a bandwidth cap). Each direction queues at most {@value #QUEUED_CHUNKS} chunks and then stops
 * reading, so a slow direction pushes back on its sender through TCP instead of filling memory.
 *
 * <p>Threads are virtual (hence daemon) and named {@code faulty-tcp-proxy-<port>-...}.
 */
public final class FaultyTcpProxy implements AutoCloseable {

    static final int CHUNK_BYTES = 64 * 1024;
    static final int QUEUED_CHUNKS = 16;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final String threadPrefix;
    private final Set<Link> links = ConcurrentHashMap.newKeySet();
    private final AtomicLong bytesForwarded = new AtomicLong();
    private final AtomicLong connectionNumbers = new AtomicLong();
    private volatile Delay delay;
    private volatile boolean refusing;
    private volatile boolean closed;

    private FaultyTcpProxy(InetSocketAddress target, ServerSocket listener) {
        this.target = target;
        this.listener = listener;
        this.threadPrefix = "faulty-tcp-proxy-" + listener.getLocalPort();
    }

    /** Listens on a free port of 127.0.0.1 and forwards every connection to {@code targetHost:targetPort}. */
    public static FaultyTcpProxy start(String targetHost, int targetPort) {
        try {
            ServerSocket listener = new ServerSocket();
            listener.bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0), 50);
            FaultyTcpProxy proxy = new FaultyTcpProxy(new InetSocketAddress(targetHost, targetPort), listener);
            Thread.ofVirtual().name(proxy.threadPrefix + "-accept").start(proxy::acceptConnections);
            return proxy;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start a proxy to " + targetHost + ":" + targetPort, e);
        }
    }

    public int port() {
        return listener.getLocalPort();
    }

    /**
     * From now on every chunk, in both directions, is forwarded after a delay drawn uniformly from
     * {@code [min, max]}. Chunks read before keep the delay they were given.
     */
    public void delay(Duration min, Duration max) {
        if (min.isNegative() || max.compareTo(min) < 0) {
            throw new IllegalArgumentException("need 0 <= min <= max, got " + min + " and " + max);
        }
        delay = new Delay(min.toNanos(), max.toNanos());
    }

    /** Back to pass-through for chunks read from now on; chunks already queued still go out in order. */
    public void noDelay() {
        delay = null;
    }

    /**
     * Closes every open connection with a TCP RST on both sides, as a crashed database or a broken network would.
     * The proxy keeps listening, and new connections work.
     */
    public void resetConnections() {
        for (Link link : List.copyOf(links)) {
            link.reset();
        }
    }

    /** While true, every new connection is reset as soon as it is accepted: a database that is down. */
    public void refuse(boolean refuse) {
        refusing = refuse;
    }

    /** Connections accepted and not yet closed. */
    public int openConnections() {
        return links.size();
    }

    /** Bytes written on to either side since the start. */
    public long bytesForwarded() {
        return bytesForwarded.get();
    }

    /** Stops listening and resets every open connection. */
    @Override
    public void close() {
        closed = true;
        try {
            listener.close();
        } catch (IOException ignored) {
            // Closing is all that is wanted; the listener is unusable either way.
        }
        resetConnections();
    }

    private void acceptConnections() {
        while (!closed) {
            Socket client;
            try {
                client = listener.accept();
            } catch (IOException e) {
                if (listener.isClosed()) {
                    return;
                }
                continue;
            }
            if (refusing || closed) {
                resetAbruptly(client);
                continue;
            }
            Link link = new Link(client, threadPrefix + "-" + connectionNumbers.incrementAndGet());
            links.add(link);
            // After add, so that a close() racing with this accept still finds and resets the link.
            if (closed) {
                link.reset();
                continue;
            }
            Thread.ofVirtual().name(link.name + "-connect").start(link::connectToTarget);
        }
    }

    private long dueAt(long readAt) {
        Delay current = delay;
        if (current == null) {
            return readAt;
        }
        long spread = current.maxNanos - current.minNanos;
        return readAt + current.minNanos + (spread == 0 ? 0 : ThreadLocalRandom.current().nextLong(spread + 1));
    }

    private static void resetAbruptly(Socket socket) {
        try {
            socket.setSoLinger(true, 0);
        } catch (IOException ignored) {
            // Already closed: nothing left to reset.
        }
        try {
            socket.close();
        } catch (IOException ignored) {
            // The socket is released either way.
        }
    }

    private record Delay(long minNanos, long maxNanos) {
    }

    /** A chunk of bytes and the {@link System#nanoTime()} at which it may be written on; no bytes: end of stream. */
    private record Chunk(byte[] bytes, long dueNanos) {
    }

    private static final Chunk END_OF_STREAM = new Chunk(null, 0);

    /** One client connection and its connection to the target. */
    private final class Link {

        private final Socket client;
        private final String name;
        private final List<Thread> threads = new ArrayList<>();
        private final AtomicInteger directionsEnded = new AtomicInteger();
        private Socket server;
        private boolean ended;

        Link(Socket client, String name) {
            this.client = client;
            this.name = name;
        }

        void connectToTarget() {
            Socket connected = new Socket();
            try {
                connected.setTcpNoDelay(true);
                client.setTcpNoDelay(true);
                connected.connect(target, CONNECT_TIMEOUT_MILLIS);
            } catch (IOException e) {
                resetAbruptly(connected);
                reset();
                return;
            }
            synchronized (this) {
                if (ended) {
                    resetAbruptly(connected);
                    return;
                }
                server = connected;
                forward(client, connected, "client-to-server");
                forward(connected, client, "server-to-client");
            }
        }

        /** A reader that queues chunks and a writer that sends each when due; called while holding the lock. */
        private void forward(Socket from, Socket to, String direction) {
            BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(QUEUED_CHUNKS);
            threads.add(Thread.ofVirtual().name(name + "-" + direction + "-reader").start(() -> read(from, queue)));
            threads.add(Thread.ofVirtual().name(name + "-" + direction + "-writer").start(() -> write(queue, to)));
        }

        private void read(Socket from, BlockingQueue<Chunk> queue) {
            byte[] buffer = new byte[CHUNK_BYTES];
            try {
                InputStream in = from.getInputStream();
                while (true) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        queue.put(END_OF_STREAM);
                        return;
                    }
                    // put blocks while the queue is full: that is the back-pressure.
                    queue.put(new Chunk(Arrays.copyOf(buffer, read), dueAt(System.nanoTime())));
                }
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        private void write(BlockingQueue<Chunk> queue, Socket to) {
            try {
                OutputStream out = to.getOutputStream();
                while (true) {
                    Chunk chunk = queue.take();
                    if (chunk == END_OF_STREAM) {
                        // Half-close, as the sender did; the other direction may still be talking.
                        to.shutdownOutput();
                        directionEnded();
                        return;
                    }
                    long wait = chunk.dueNanos - System.nanoTime();
                    if (wait > 0) {
                        TimeUnit.NANOSECONDS.sleep(wait);
                    }
                    out.write(chunk.bytes);
                    bytesForwarded.addAndGet(chunk.bytes.length);
                }
            } catch (IOException | InterruptedException e) {
                reset();
            }
        }

        private void directionEnded() {
            if (directionsEnded.incrementAndGet() < 2) {
                return;
            }
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            links.remove(this);
            closeQuietly(client);
            closeQuietly(server);
        }

        /** Resets both sides (an abrupt close on one side is passed on to the other the same way) and stops. */
        void reset() {
            Socket serverSide;
            List<Thread> running;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                serverSide = server;
                running = List.copyOf(threads);
            }
            links.remove(this);
            resetAbruptly(client);
            if (serverSide != null) {
                resetAbruptly(serverSide);
            }
            // Wakes writers waiting for a chunk or sleeping until one is due; readers fail on their closed socket.
            for (Thread thread : running) {
                if (thread != Thread.currentThread()) {
                    thread.interrupt();
                }
            }
        }

        private static void closeQuietly(Socket socket) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // Both directions have ended; nothing is lost.
            }
        }
    }
}
