package dev.retention.kafka;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real Apache Kafka broker (KRaft, combined broker and controller) in its own JVM process, on free loopback ports
 * in a temporary directory. It can be stopped, killed with SIGKILL and restarted on the same ports and data, which
 * is what fault tests need. {@link #close()} stops it and deletes its directory.
 */
public final class KafkaBroker implements AutoCloseable {

    private static final String CLASSPATH_RESOURCE = "/dev/retention/kafka/broker.classpath";
    private static final String STARTED_LINE = "Kafka Server started";
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Path directory;
    private final boolean ownsDirectory;
    private final int brokerPort;
    private final int controllerPort;
    private final int defaultPartitions;
    private final String maxHeap;
    private final String classpath;
    private final Tls tls;
    private final int tlsPort;
    private Process process;

    private KafkaBroker(Builder builder) {
        try {
            this.ownsDirectory = builder.directory == null;
            this.directory = ownsDirectory ? Files.createTempDirectory("retention-kafka-") : builder.directory;
            Files.createDirectories(directory);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the broker directory", e);
        }
        this.brokerPort = builder.port != 0 ? builder.port : freePort();
        this.controllerPort = freePort();
        this.defaultPartitions = builder.defaultPartitions;
        this.maxHeap = builder.maxHeap;
        this.classpath = brokerClasspath();
        this.tls = builder.tls;
        this.tlsPort = tls == null ? -1 : freePort();
        // A broker must not outlive the JVM that started it, whatever way that JVM ends.
        Runtime.getRuntime().addShutdownHook(new Thread(this::shutDownAtExit, "kafka-broker-shutdown"));
    }

    private synchronized void shutDownAtExit() {
        stop();
        if (ownsDirectory) {
            deleteRecursively(directory);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Formats the storage on first start, then starts the broker and waits until it serves clients. */
    public synchronized KafkaBroker start() {
        if (isRunning()) {
            return this;
        }
        try {
            Path properties = writeServerProperties();
            if (!Files.exists(directory.resolve("data/meta.properties"))) {
                format(properties);
            }
            Path log = directory.resolve("broker.log");
            long logOffset = Files.exists(log) ? Files.size(log) : 0;
            process = new ProcessBuilder(java(), "-Xms64m", "-Xmx" + maxHeap, "-XX:+UseG1GC",
                    "-Dorg.slf4j.simpleLogger.defaultLogLevel=info",
                    "-Dorg.slf4j.simpleLogger.showDateTime=true",
                    "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
                    "-Dorg.slf4j.simpleLogger.log.kafka=warn",
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka=warn",
                    "-Dorg.slf4j.simpleLogger.log.kafka.server.KafkaRaftServer=info",
                    // Rebalances, joins and leaves of consumer groups: what a stalled group did (see groupLog).
                    "-Dorg.slf4j.simpleLogger.log.org.apache.kafka.coordinator.group=info",
                    "-cp", classpath, "kafka.Kafka", properties.toString())
                    .redirectErrorStream(true)
                    .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
                    .start();
            awaitStarted(log, logOffset);
            return this;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot start the Kafka broker in " + directory, e);
        }
    }

    /** Orderly shutdown (SIGTERM), as an operator would do it. */
    public synchronized void stop() {
        if (process != null) {
            process.destroy();
            waitForExit(Duration.ofSeconds(60));
            process = null;
        }
    }

    /** SIGKILL: the broker gets no chance to flush or to hand over. */
    public synchronized void kill() {
        if (process != null) {
            process.destroyForcibly();
            waitForExit(Duration.ofSeconds(30));
            process = null;
        }
    }

    public synchronized KafkaBroker restart() {
        stop();
        return start();
    }

    public synchronized boolean isRunning() {
        return process != null && process.isAlive();
    }

    public String bootstrapServers() {
        return "127.0.0.1:" + brokerPort;
    }

    /** The listener that speaks TLS and requires a client certificate, when the broker was built with one. */
    public String tlsBootstrapServers() {
        if (tls == null) {
            throw new IllegalStateException("this broker has no TLS listener: build it with tls(...)");
        }
        return "127.0.0.1:" + tlsPort;
    }

    public Path directory() {
        return directory;
    }

    /** The last {@code lines} lines of the broker's log that name the consumer group: its rebalances. */
    public List<String> groupLog(String group, int lines) {
        try (Stream<String> log = Files.lines(directory.resolve("broker.log"))) {
            String named = "group " + group + " ";
            List<String> found = log.filter(line -> line.contains(named)).map(KafkaBroker::coordinatorWords)
                    .map(line -> line.length() > 240 ? line.substring(0, 240) + "..." : line).toList();
            return found.subList(Math.max(0, found.size() - lines), found.size());
        } catch (IOException | UncheckedIOException e) {
            return List.of("(broker log not readable: " + e + ")");
        }
    }

    /** The time and the group coordinator's words, without its thread, class and partition. */
    private static String coordinatorWords(String line) {
        int coordinator = line.indexOf("[GroupCoordinator");
        int words = coordinator < 0 ? -1 : line.indexOf("] ", coordinator);
        return words < 0 ? line : line.substring(0, Math.min(12, line.length())) + " " + line.substring(words + 2);
    }

    public long pid() {
        return process == null ? -1 : process.pid();
    }

    /**
     * Runs one of the distribution's command line tools (the perf tools, for instance) in its own JVM with the
     * broker's classpath, {@code --bootstrap-server} pointing at this broker; returns what it printed.
     */
    public String runTool(Duration timeout, String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(java(), "-Xmx512m", "-cp", classpath, mainClass,
                "--bootstrap-server", bootstrapServers()));
        command.addAll(Arrays.asList(args));
        Path output = Files.createTempFile(directory, "tool-", ".out");
        Process tool = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
        if (!tool.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            tool.destroyForcibly();
            throw new IllegalStateException(mainClass + " did not end within " + timeout + ":\n" + tail(output));
        }
        String printed = Files.readString(output);
        if (tool.exitValue() != 0) {
            throw new IllegalStateException(mainClass + " failed with " + tool.exitValue() + ":\n" + tail(output));
        }
        return printed;
    }

    @Override
    public synchronized void close() {
        kill();
        if (ownsDirectory) {
            deleteRecursively(directory);
        }
    }

    private Path writeServerProperties() throws IOException {
        Path properties = directory.resolve("server.properties");
        String tlsListener = tls == null ? "" : ",SSL://127.0.0.1:" + tlsPort;
        String config = String.join("\n",
                "process.roles=broker,controller",
                "node.id=1",
                "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                "listeners=PLAINTEXT://127.0.0.1:" + brokerPort + ",CONTROLLER://127.0.0.1:" + controllerPort
                        + tlsListener,
                "advertised.listeners=PLAINTEXT://127.0.0.1:" + brokerPort + tlsListener,
                "controller.listener.names=CONTROLLER",
                "inter.broker.listener.name=PLAINTEXT",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SSL:SSL",
                tls == null ? "" : tls.listenerProperties(),
                "log.dirs=" + directory.resolve("data"),
                "num.partitions=" + defaultPartitions,
                "auto.create.topics.enable=true",
                // One broker: every internal topic has one replica. Few partitions keep start-up fast on 2 cores.
                "offsets.topic.replication.factor=1",
                "offsets.topic.num.partitions=5",
                "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1",
                "transaction.state.log.num.partitions=5",
                "share.coordinator.state.topic.replication.factor=1",
                "share.coordinator.state.topic.min.isr=1",
                "group.initial.rebalance.delay.ms=0",
                "");
        Files.writeString(properties, config, StandardCharsets.UTF_8);
        return properties;
    }

    private void format(Path properties) throws IOException {
        Path log = directory.resolve("format.log");
        Process format = new ProcessBuilder(java(), "-Xmx256m", "-cp", classpath, "kafka.tools.StorageTool",
                "format", "--cluster-id", newClusterId(), "--config", properties.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!format.waitFor(60, TimeUnit.SECONDS) || format.exitValue() != 0) {
                format.destroyForcibly();
                throw new IllegalStateException("formatting the Kafka storage failed:\n" + Files.readString(log));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while formatting the Kafka storage", e);
        }
    }

    private void awaitStarted(Path log, long fromOffset) throws IOException {
        Instant deadline = Instant.now().plus(START_TIMEOUT);
        while (Instant.now().isBefore(deadline)) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the Kafka broker exited with code " + process.exitValue() + ":\n"
                        + tail(log));
            }
            if (readFrom(log, fromOffset).contains(STARTED_LINE)) {
                return;
            }
            sleep(100);
        }
        process.destroyForcibly();
        throw new IllegalStateException("the Kafka broker did not start within " + START_TIMEOUT + ":\n" + tail(log));
    }

    private void waitForExit(Duration timeout) {
        try {
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }

    private static String readFrom(Path log, long offset) throws IOException {
        byte[] bytes = Files.readAllBytes(log);
        return new String(bytes, (int) Math.min(offset, bytes.length), (int) Math.max(0, bytes.length - offset),
                StandardCharsets.UTF_8);
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.exists(log) ? Files.readAllLines(log) : List.of();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    }

    private static String brokerClasspath() {
        try (InputStream in = KafkaBroker.class.getResourceAsStream(CLASSPATH_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(CLASSPATH_RESOURCE + " is missing: build the kafka-broker-runtime module");
            }
            String classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
            List<String> missing = new ArrayList<>();
            for (String jar : classpath.split(java.io.File.pathSeparator)) {
                if (!Files.exists(Path.of(jar))) {
                    missing.add(jar);
                }
            }
            if (!missing.isEmpty()) {
                throw new IllegalStateException("Kafka broker jars are missing (run ./mvnw install): " + missing);
            }
            return classpath;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Kafka's cluster ids are 16 random bytes in URL-safe Base64 without padding. One starting with '-' would be
     * taken for an option by the storage tool (1 in 64 ids): draw again, as Kafka's own {@code Uuid} does.
     */
    static String newClusterId() {
        String id;
        do {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits()).array();
            id = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        } while (id.startsWith("-"));
        return id;
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 0, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }

    private static void deleteRecursively(Path root) {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            paths.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + root, e);
        }
    }

    /**
     * A TLS listener beside the plaintext one, as Strimzi's: the broker's key store (PKCS12), the CA its clients'
     * certificates must be signed by (PEM), and client authentication required.
     */
    public record Tls(Path keyStore, String keyStorePassword, Path clientCa) {

        String listenerProperties() {
            return String.join("\n",
                    "listener.name.ssl.ssl.keystore.type=PKCS12",
                    "listener.name.ssl.ssl.keystore.location=" + keyStore,
                    "listener.name.ssl.ssl.keystore.password=" + keyStorePassword,
                    "listener.name.ssl.ssl.truststore.type=PEM",
                    "listener.name.ssl.ssl.truststore.location=" + clientCa,
                    "listener.name.ssl.ssl.client.auth=required");
        }
    }

    public static final class Builder {
        private Tls tls;
        private Path directory;
        private int port;
        private int defaultPartitions = 3;
        private String maxHeap = "512m";

        /** Keeps data in {@code directory} (not deleted on close); default: a new temporary directory. */
        public Builder directory(Path directory) {
            this.directory = directory;
            return this;
        }

        /** The client port; default: a free one. */
        public Builder port(int port) {
            this.port = port;
            return this;
        }

        public Builder defaultPartitions(int partitions) {
            this.defaultPartitions = partitions;
            return this;
        }

        /** Adds a TLS listener that requires client certificates ({@link #tlsBootstrapServers()}). */
        public Builder tls(Tls tls) {
            this.tls = tls;
            return this;
        }

        public Builder maxHeap(String maxHeap) {
            this.maxHeap = maxHeap;
            return this;
        }

        public KafkaBroker build() {
            return new KafkaBroker(this);
        }
    }

    /** Starts a broker from the command line and keeps it running until the JVM is stopped. */
    public static void main(String[] args) throws InterruptedException {
        Builder builder = builder();
        for (String arg : args) {
            String[] pair = arg.split("=", 2);
            switch (pair[0]) {
                case "--dir" -> builder.directory(Path.of(pair[1]));
                case "--port" -> builder.port(Integer.parseInt(pair[1]));
                case "--partitions" -> builder.defaultPartitions(Integer.parseInt(pair[1]));
                default -> throw new IllegalArgumentException("unknown option " + arg + "; known: "
                        + Arrays.asList("--dir=PATH", "--port=N", "--partitions=N"));
            }
        }
        KafkaBroker broker = builder.build().start();
        System.out.println("Kafka broker ready on " + broker.bootstrapServers() + ", data in " + broker.directory());
        broker.process.waitFor();
    }
}
