package dev.retention.bench;

import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.Tokens;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A packaged service run as an operator runs it: its own JVM, configured only through environment variables,
 * on a free port, its log in {@code system-tests/target/<service>-<label>.log} (appended across restarts). Started
 * ready; closed with SIGTERM (SIGKILL after a minute); can be killed with SIGKILL and started again on the same ports
 * and settings.
 */
public final class ServiceProcess implements AutoCloseable {

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /**
     * How the system tests and benchmarks run a service: a fixed heap and the serial collector, which did 10 to 20 %
     * more work than G1 on the project's 2 cores and needs almost no memory of its own (docs/deployment.md).
     */
    public static List<String> jvmOptions(String heap) {
        return List.of("-Xmx" + heap, "-XX:+UseSerialGC");
    }

    private final String name;
    private final ProcessBuilder builder;
    private final int port;
    private final int managementPort;
    private Process process;

    private ServiceProcess(String name, ProcessBuilder builder, int port, int managementPort) {
        this.name = name;
        this.builder = builder;
        this.port = port;
        this.managementPort = managementPort;
    }

    /** Starts {@code <root>/<service>/target/quarkus-app/quarkus-run.jar} and waits until it is ready. */
    public static ServiceProcess start(Path root, String service, List<String> jvmOptions, KafkaBroker broker,
                                       TestDatabase database, Map<String, String> settings) throws Exception {
        return start(root, service, "benchmark", jvmOptions, broker, database, settings);
    }

    /** As above, logging to {@code system-tests/target/<service>-<label>.log}. */
    public static ServiceProcess start(Path root, String service, String label, List<String> jvmOptions,
                                       KafkaBroker broker, TestDatabase database, Map<String, String> settings)
            throws Exception {
        Path jar = root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: build with -am so " + service + " is packaged");
        }
        Path logs = root.resolve("system-tests/target");
        Files.createDirectories(logs);
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString()));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(service + "-" + label + ".log").toFile()));
        int port = settings.containsKey("HTTP_PORT") ? Integer.parseInt(settings.get("HTTP_PORT")) : freePort();
        int managementPort = freePort();
        Map<String, String> env = builder.environment();
        env.put("KAFKA_BOOTSTRAP_SERVERS", broker.bootstrapServers());
        env.put("HTTP_PORT", Integer.toString(port));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort));
        // The APIs need a token issuer even where a benchmark calls only health and metrics.
        env.putAll(Tokens.in(logs.resolve("bench-jwt"), "http://localhost/retention-bench").serviceEnvironment());
        URI uri = URI.create(database.reactiveUrl());
        env.put("DB_HOST", uri.getHost());
        env.put("DB_PORT", Integer.toString(uri.getPort()));
        env.put("DB_NAME", database.name());
        env.put("DB_USER", database.username());
        env.put("DB_PASSWORD", database.password());
        env.putAll(settings);
        ServiceProcess started = new ServiceProcess(service, builder, port, managementPort);
        started.start();
        return started;
    }

    /** Starts the service (again, after {@link #kill()} or {@link #close()}) and waits until it is ready. */
    public synchronized void start() throws Exception {
        if (process != null && process.isAlive()) {
            throw new IllegalStateException(name + " is running");
        }
        process = builder.start();
        try {
            awaitReady();
        } catch (Exception e) {
            close();
            throw e;
        }
    }

    /** SIGKILL: no shutdown hook, no offset commit, no flush; whatever was in flight is lost to the process. */
    public synchronized void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    public String name() {
        return name;
    }

    public int port() {
        return port;
    }

    public long pid() {
        return process.pid();
    }

    /** The highest resident set size of the running instance so far, in MiB. */
    public double peakRssMiB() throws IOException {
        return Benchmarks.peakRssKiB(process.pid()) / 1024.0;
    }

    /** The body of {@code GET path} on the service's API port. */
    String get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    /** "UP", or the body of {@code /q/health} when a liveness or readiness check is down: for a failure's message. */
    public String health() {
        if (process == null || !process.isAlive()) {
            return "not running";
        }
        try {
            // A stuck service may accept and never answer: the message must not wait for it.
            HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                    + managementPort + "/q/health")).timeout(Duration.ofSeconds(5)).build(),
                    HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? "UP" : response.body().replaceAll("\\s+", " ");
        } catch (IOException e) {
            return "health not readable: " + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /** The service's Prometheus metrics, from its management interface. */
    public String metrics() throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/metrics")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
    }

    private void awaitReady() throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException(name + " exited with " + process.exitValue());
            }
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/q/health/ready"))
                        .build(), HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException(name + " did not become ready");
    }

    @Override
    public synchronized void close() throws InterruptedException {
        if (process != null) {
            process.destroy();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly(); // a shutdown that hangs (seen after an OutOfMemoryError) must not outlive us
                process.waitFor();
            }
        }
    }

    private static final java.util.Set<Integer> HANDED_OUT = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** A port free now, for a service's API or management interface. */
    public static int freePort() throws IOException {
        while (true) {
            try (ServerSocket socket = new ServerSocket(0)) {
                // A port is free only until its service binds it: one handed out before (a platform chooses some
                // ahead of starting its services) is never handed out again by this JVM.
                if (HANDED_OUT.add(socket.getLocalPort())) {
                    return socket.getLocalPort();
                }
            }
        }
    }
}
