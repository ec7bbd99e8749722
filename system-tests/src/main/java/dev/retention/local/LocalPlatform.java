package dev.retention.local;

import dev.retention.bench.ServiceProcess;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.Tokens;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The whole platform on one machine, without Docker: a Kafka broker (KRaft, its own JVM), the topics, an SMTP sink
 * that keeps every mail as a file, and the six packaged services against the local PostgreSQL. Each runs as its own
 * process with its log in {@code <state>/logs}; their pids are kept in {@code <state>/pids} so that {@code stop}
 * ends every one of them.
 *
 * <p>The broker's data and the databases are both kept from one start to the next, and {@code reset} clears both:
 * the services remember in their databases which events they applied and where records sat, so a broker that starts
 * empty beside kept databases would reuse positions they remember.
 *
 * <p>Commands: {@code start}, {@code stop}, {@code status}, {@code demo}, {@code reset}. Options: {@code --state=target/local
 * --kafka-port=9092 --http-port=8081 (six ports from it) --management-port=9081 (six ports from it)
 * --smtp-port=2525 --db-prefix=retention}; the database
 * connection from {@code DB_HOST}, {@code DB_PORT}, {@code DB_USER}, {@code DB_PASSWORD}.
 */
public final class LocalPlatform {

    /** The services that consume the shop's events (and each other's). */
    public static final List<String> SERVICES = List.of("points-service", "tier-service", "campaign-service",
            "notification-service");
    /** Owns the programme's versions; consumes no shop events. */
    public static final String PROGRAMME_SERVICE = "programme-service";
    /** The services the system tests start (RunningPlatform): the platform that acts on customers. */
    public static final List<String> ALL_SERVICES = java.util.stream.Stream.concat(SERVICES.stream(),
            Stream.of(PROGRAMME_SERVICE)).toList();
    /**
     * The analysts' consumer of the output topics (docs/insights.md): it acts on no customer, so the system tests that
     * break and load the platform leave it out; the local run starts it, and the demo shows its measures.
     */
    public static final String INSIGHTS_SERVICE = "insights-service";
    /** The topics insights-service reads, on one channel in its group insights-service. */
    public static final List<String> INSIGHTS_CONSUMED = List.of(Topics.ORDERS, Topics.RETENTION_TRIGGERS,
            Topics.RETENTION_NOTIFICATIONS, Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES);
    /**
     * Every process the local run starts beside the broker and the SMTP sink, in port order: insights-service last,
     * so that with the default ports it answers on 8086 (management 9086), as its application.properties says.
     */
    public static final List<String> LOCAL_SERVICES = java.util.stream.Stream.concat(ALL_SERVICES.stream(),
            Stream.of(INSIGHTS_SERVICE)).toList();
    /**
     * The web console: no database and no Kafka, it calls the services' APIs with the signed-in user's token. Started
     * after the services, so that with the default ports it answers on 8087 (management 9087).
     */
    public static final String CONSOLE = "console";
    /** Every process the local run starts beside the broker and the SMTP sink, in port order. */
    public static final List<String> LOCAL_PROCESSES = java.util.stream.Stream.concat(LOCAL_SERVICES.stream(),
            Stream.of(CONSOLE)).toList();
    private static final Map<String, String> DATABASES = Map.of("points-service", "points", "tier-service", "tiers",
            "campaign-service", "campaigns", "notification-service", "notifications", PROGRAMME_SERVICE,
            "programme", INSIGHTS_SERVICE, "insights");
    /** The topics each service's consumer group reads. */
    public static final Map<String, List<String>> CONSUMED = Map.of(
            "points-service", List.of(Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                    Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS),
            "tier-service", List.of(Topics.ORDERS),
            "campaign-service", List.of(Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS,
                    Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.CARTS),
            "notification-service", List.of(Topics.RETENTION_TRIGGERS, Topics.CUSTOMERS));
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final Path root;
    private final Path state;
    private final int kafkaPort;
    private final int httpPort;
    private final int managementPort;
    private final String role;
    private final String subject;
    public static final String LOCAL_ISSUER = "http://localhost/retention-local";
    private final int smtpPort;
    private final String dbPrefix;
    private final String dbHost = env("DB_HOST", "127.0.0.1");
    private final String dbPort = env("DB_PORT", "5432");
    private final String dbUser = env("DB_USER", "postgres");
    private final String dbPassword = env("DB_PASSWORD", "");

    public LocalPlatform(Map<String, String> options) {
        root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        state = root.resolve(options.getOrDefault("state", "target/local"));
        kafkaPort = Integer.parseInt(options.getOrDefault("kafka-port", "9092"));
        httpPort = Integer.parseInt(options.getOrDefault("http-port", "8081"));
        managementPort = Integer.parseInt(options.getOrDefault("management-port", "9081"));
        smtpPort = Integer.parseInt(options.getOrDefault("smtp-port", "2525"));
        dbPrefix = options.getOrDefault("db-prefix", "retention");
        role = options.getOrDefault("role", "admin");
        subject = options.getOrDefault("subject", role.equals("storefront") ? "" : "local-" + role);
    }

    /** The local run's token issuer: a key pair made on first use in the state directory. */
    public Tokens tokens() {
        return Tokens.in(state.resolve("jwt"), LOCAL_ISSUER);
    }

    public static void main(String[] args) throws Exception {
        if (args.length == 0) {
            System.err.println("usage: platform start|stop|status|demo|reset|token [--state=DIR --kafka-port=N --http-port=N "
                    + "--management-port=N --smtp-port=N --db-prefix=NAME] [token: --role=admin|support|analyst|"
                    + "storefront --subject=ID]");
            System.exit(2);
        }
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < args.length; i++) {
            String[] pair = args[i].replaceFirst("^--", "").split("=", 2);
            options.put(pair[0], pair.length > 1 ? pair[1] : "true");
        }
        LocalPlatform platform = new LocalPlatform(options);
        int exit = switch (args[0]) {
            case "start" -> platform.start();
            case "stop" -> platform.stop();
            case "status" -> platform.status();
            case "demo" -> platform.demo();
            case "reset" -> platform.reset();
            case "token" -> platform.token();
            default -> {
                System.err.println("unknown command " + args[0] + ": start, stop, status, demo, reset or token");
                yield 2;
            }
        };
        System.exit(exit);
    }

    // ---- start ----

    public int start() throws Exception {
        if (!runningComponents().isEmpty()) {
            System.err.println("already running: " + runningComponents() + " (stop it first: platform stop)");
            return 1;
        }
        for (String service : LOCAL_PROCESSES) {
            if (!Files.exists(jar(service))) {
                System.err.println(jar(service) + " is missing: build first (./mvnw -B install -DskipTests)");
                return 1;
            }
        }
        Files.createDirectories(state.resolve("logs"));
        Files.createDirectories(state.resolve("pids"));
        try {
            createDatabases();
        } catch (SQLException e) {
            System.err.printf(Locale.ROOT, """
                    PostgreSQL is not reachable at %s:%s as %s (%s).
                    Install and start it (Debian: apt-get install postgresql; pg_ctlcluster 15 main start), allow
                    trust or password login for that user, or point DB_HOST, DB_PORT, DB_USER, DB_PASSWORD at a server
                    where the platform may create its databases.
                    """, dbHost, dbPort, dbUser, e.getMessage());
            return 1;
        }
        try {
            startBroker();
            createTopics();
            launch("smtp-sink", List.of(java(), "-Xmx64m", "-cp", System.getProperty("java.class.path"),
                    SmtpSink.class.getName(), "--port=" + smtpPort, "--dir=" + state.resolve("mail")), Map.of());
            for (int i = 0; i < LOCAL_PROCESSES.size(); i++) {
                String service = LOCAL_PROCESSES.get(i);
                List<String> command = new ArrayList<>(List.of(java()));
                command.addAll(ServiceProcess.jvmOptions("256m"));
                command.addAll(List.of("-jar", jar(service).toString()));
                launch(service, command, serviceEnv(service, i));
            }
            for (int i = 0; i < LOCAL_PROCESSES.size(); i++) {
                awaitReady(LOCAL_PROCESSES.get(i), managementPort + i, Duration.ofSeconds(120));
            }
        } catch (Exception e) {
            System.err.println("start failed: " + e.getMessage() + "; stopping what was started. Logs: "
                    + state.resolve("logs"));
            stop();
            return 1;
        }
        printSummary();
        return 0;
    }

    private Map<String, String> serviceEnv(String service, int index) {
        if (service.equals(CONSOLE)) {
            return consoleEnv(index);
        }
        Map<String, String> env = new LinkedHashMap<>();
        env.put("KAFKA_BOOTSTRAP_SERVERS", "127.0.0.1:" + kafkaPort);
        env.put("HTTP_PORT", Integer.toString(httpPort + index));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort + index));
        // Swagger UI (/q/swagger-ui on the API port) is off in production unless switched on; on for the local run.
        env.put("SWAGGER_UI_ENABLED", "true");
        env.putAll(tokens().serviceEnvironment());
        env.put("DB_HOST", dbHost);
        env.put("DB_PORT", dbPort);
        env.put("DB_USER", dbUser);
        env.put("DB_PASSWORD", dbPassword);
        env.put("DB_NAME", dbPrefix + "_" + DATABASES.get(service));
        if (service.equals("campaign-service")) {
            env.put("RETENTION_CAMPAIGNS_JOBS_EVERY", "5s"); // timers fire within seconds on a demo machine
            // No holdout group locally: 5 % of the demo's customers would otherwise get no marketing trigger at all.
            env.put("CAMPAIGN_HOLDOUT_SHARE", "0");
            env.put("FEEDBACK_LINK_SECRET", FEEDBACK_LINK_SECRET);
        }
        if (service.equals(PROGRAMME_SERVICE)) {
            // A published version takes effect 3 s later instead of 30 s: the services on this machine hear of it in
            // well under a second, and the demo need not wait.
            env.put("PROGRAMME_ACTIVATION_DELAY", "3s");
            // A simulation asks these services to re-run their rules.
            env.put("POINTS_SERVICE_URL", "http://localhost:" + (httpPort + ALL_SERVICES.indexOf("points-service")));
            env.put("TIER_SERVICE_URL", "http://localhost:" + (httpPort + ALL_SERVICES.indexOf("tier-service")));
            env.put("CAMPAIGN_SERVICE_URL",
                    "http://localhost:" + (httpPort + ALL_SERVICES.indexOf("campaign-service")));
            try {
                env.put("RETENTION_PROGRAMME_INITIAL_DOCUMENT", initialProgrammeWithoutHoldout(state).toString());
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (service.equals("notification-service")) {
            env.put("MAIL_HOST", "127.0.0.1");
            env.put("MAIL_PORT", Integer.toString(smtpPort));
            env.put("MAIL_START_TLS", "DISABLED");
            env.put("UNSUBSCRIBE_SECRET", "local-run-secret-not-for-production");
            // The feedback mail's score links point to campaign-service, signed with the secret it verifies.
            env.put("FEEDBACK_LINK_SECRET", FEEDBACK_LINK_SECRET);
            env.put("FEEDBACK_BASE_URL", "http://localhost:" + (httpPort + ALL_SERVICES.indexOf("campaign-service")));
            env.put("PUBLIC_URL", "http://localhost:" + (httpPort + index));
            // Locally, messages go out at any hour so the demo shows them at once.
            env.put("RETENTION_NOTIFICATIONS_QUIET_HOURS_START", "00:00");
            env.put("RETENTION_NOTIFICATIONS_QUIET_HOURS_END", "00:00");
        }
        return env;
    }

    /**
     * The console's settings: the services' URLs, the token verification the services use, and the local issuer's key
     * directory, which turns on its sign-in page (pick a role; the token is signed as {@code token} signs it).
     */
    private Map<String, String> consoleEnv(int index) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("HTTP_PORT", Integer.toString(httpPort + index));
        env.put("MANAGEMENT_PORT", Integer.toString(managementPort + index));
        env.putAll(tokens().serviceEnvironment());
        env.put("CONSOLE_LOCAL_ISSUER_KEYS", state.resolve("jwt").toAbsolutePath().toString());
        env.put("CONSOLE_SECURE_COOKIES", "false"); // served over http://localhost
        Map<String, String> urls = Map.of("points-service", "POINTS_SERVICE_URL", "tier-service", "TIER_SERVICE_URL",
                "campaign-service", "CAMPAIGN_SERVICE_URL", "notification-service", "NOTIFICATION_SERVICE_URL",
                PROGRAMME_SERVICE, "PROGRAMME_SERVICE_URL", INSIGHTS_SERVICE, "INSIGHTS_SERVICE_URL");
        urls.forEach((service, variable) -> env.put(variable, "http://localhost:" + (httpPort
                + LOCAL_SERVICES.indexOf(service))));
        return env;
    }

    /** The console's port: after the services'. */
    public int consolePort() {
        return httpPort + LOCAL_PROCESSES.indexOf(CONSOLE);
    }

    private void createDatabases() throws SQLException {
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + dbHost + ":" + dbPort
                + "/postgres", dbUser, dbPassword); Statement sql = connection.createStatement()) {
            for (String name : DATABASES.values()) {
                String database = dbPrefix + "_" + name;
                try (ResultSet exists = sql.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + database
                        + "'")) {
                    if (!exists.next()) {
                        sql.execute("CREATE DATABASE " + database);
                    }
                }
            }
        }
    }

    private void startBroker() throws Exception {
        Path data = state.resolve("kafka"); // kept, as the databases are: reset clears both
        launch("kafka", List.of(java(), "-Xmx128m", "-cp", root.resolve("test-support/kafka-broker-runtime/target/classes")
                .toString(), "dev.retention.kafka.KafkaBroker", "--port=" + kafkaPort, "--dir=" + data,
                "--partitions=3"), Map.of());
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try (Admin admin = admin()) {
                admin.describeCluster().clusterId().get(2, TimeUnit.SECONDS);
                return;
            } catch (Exception notYet) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the Kafka broker did not start; see " + log("kafka"));
                }
                Thread.sleep(500);
            }
        }
    }

    /**
     * Every topic of the platform but the compacted programme and products topics ({@link #programmeTopic()},
     * {@link #productsTopic()}), and every dead-letter topic of its consumers (insights-service's too), three
     * partitions each.
     */
    public static List<String> topics() {
        List<String> topics = new ArrayList<>(Topics.INPUT);
        topics.addAll(Topics.OUTPUT);
        topics.remove(Topics.RETENTION_PROGRAMME);
        topics.remove(Topics.PRODUCTS);
        // The products topic is read in groups of their own (<service>-products), dead letters per service.
        List.of("campaign-service", "notification-service").forEach(service ->
                topics.add(Topics.deadLetterTopic(Topics.PRODUCTS, service)));
        CONSUMED.forEach((service, consumed) -> consumed.forEach(topic ->
                topics.add(Topics.deadLetterTopic(topic, service))));
        INSIGHTS_CONSUMED.forEach(topic -> topics.add(Topics.deadLetterTopic(topic, INSIGHTS_SERVICE)));
        LOCAL_SERVICES.forEach(service -> topics.add(Topics.deadLetterTopic(Topics.RETENTION_PROGRAMME, service)));
        return topics;
    }

    /**
     * The programme's version 1 for a run on one machine: the initial programme without a holdout group, so that
     * every customer of a demo or a test gets their marketing triggers (the holdout share is programme data now:
     * the campaign service's CAMPAIGN_HOLDOUT_SHARE only sets its baseline before version 1).
     */
    public static Path initialProgrammeWithoutHoldout(Path directory) throws IOException {
        return initialProgramme(directory, document -> { });
    }

    /**
     * As {@link #initialProgrammeWithoutHoldout}, with a test's own settings on top (a return window of seconds, say):
     * programme-service publishes the file as version 1 (RETENTION_PROGRAMME_INITIAL_DOCUMENT), and from its start on
     * every service applies it rather than its application.properties.
     */
    public static Path initialProgramme(Path directory,
                                        java.util.function.Consumer<com.fasterxml.jackson.databind.node.ObjectNode> change)
            throws IOException {
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) dev.retention.contracts.programme.ProgrammeJson
                .initialTree().deepCopy();
        ((com.fasterxml.jackson.databind.node.ObjectNode) document.path("guards")).put("holdoutShare", "0");
        change.accept(document);
        Files.createDirectories(directory);
        Path file = directory.resolve("initial-programme.json");
        Files.writeString(file, dev.retention.contracts.ContractJson.mapper().writerWithDefaultPrettyPrinter()
                .writeValueAsString(document));
        return file;
    }

    /** The programme's versions: compacted, as in the cluster (deploy/k8s/base/kafka/topics.yaml). */
    public static NewTopic programmeTopic() {
        return new NewTopic(Topics.RETENTION_PROGRAMME, 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
    }

    /** The shop's products: compacted, keyed by SKU, as in the cluster (deploy/k8s/base/kafka/topics.yaml). */
    public static NewTopic productsTopic() {
        return new NewTopic(Topics.PRODUCTS, 1, (short) 1)
                .configs(Map.of("cleanup.policy", "compact", "retention.ms", "-1"));
    }

    private void createTopics() throws Exception {
        try (Admin admin = admin()) {
            Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>(topics().stream().filter(t -> !existing.contains(t))
                    .map(t -> new NewTopic(t, 3, (short) 1)).toList());
            if (!existing.contains(Topics.RETENTION_PROGRAMME)) {
                missing.add(programmeTopic());
            }
            if (!existing.contains(Topics.PRODUCTS)) {
                missing.add(productsTopic());
            }
            admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
        }
    }

    private void launch(String name, List<String> command, Map<String, String> env) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(log(name).toFile());
        builder.environment().putAll(env);
        Process process = builder.start();
        Files.writeString(pidFile(name), Long.toString(process.pid()));
    }

    private void awaitReady(String service, int port, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!alive(service)) {
                throw new IllegalStateException(service + " exited; see " + log(service));
            }
            if (get(port, "/q/health/ready").map(r -> r.statusCode() == 200).orElse(false)) {
                return;
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException(service + " did not become ready within " + timeout + "; see "
                + log(service));
    }

    private void printSummary() {
        StringBuilder summary = new StringBuilder("\nThe retention platform is running.\n\n");
        summary.append(String.format(Locale.ROOT, "  %-22s %s%n", "Kafka", "127.0.0.1:" + kafkaPort));
        summary.append(String.format(Locale.ROOT, "  %-22s http://localhost:%d  (sign in with a role: support, marketer, "
                + "analyst or admin)%n", "Console", consolePort()));
        for (int i = 0; i < LOCAL_SERVICES.size(); i++) {
            summary.append(String.format(Locale.ROOT, "  %-22s http://localhost:%d  (API description: /q/openapi, "
                    + "/q/swagger-ui; health and metrics: http://localhost:%d/q/health, /q/metrics)%n", LOCAL_SERVICES.get(i), httpPort + i,
                    managementPort + i));
        }
        summary.append(String.format(Locale.ROOT, "  %-22s 127.0.0.1:%d, each mail a file in %s%n", "SMTP sink",
                smtpPort, state.resolve("mail")));
        summary.append(String.format(Locale.ROOT, "  %-22s %s%n", "logs", state.resolve("logs")));
        summary.append(String.format(Locale.ROOT, "  %-22s %s%n", "API tokens", "deploy/local/platform token "
                + "[--role=admin|marketer|support|analyst|storefront --subject=<customer id>]"));
        summary.append("\nQuiet hours are off locally. Next: deploy/local/platform demo · deploy/local/platform stop\n");
        System.out.println(summary);
    }

    /** Prints a token of the local issuer for calling the APIs by hand (curl -H "Authorization: Bearer …"). */
    int token() {
        if (!List.of("admin", "marketer", "support", "analyst", "storefront").contains(role) || subject.isBlank()) {
            System.err.println("token --role=admin|marketer|support|analyst|storefront (storefront needs --subject=<customer id>)");
            return 2;
        }
        System.out.println(tokens().token(subject, List.of(role)));
        return 0;
    }

    // ---- stop and status ----

    public int stop() throws Exception {
        List<String> order = new ArrayList<>(LOCAL_PROCESSES);
        java.util.Collections.reverse(order);
        order.add("smtp-sink");
        order.add("kafka");
        for (String name : order) {
            Optional<ProcessHandle> process = process(name);
            if (process.isPresent()) {
                ProcessHandle handle = process.get();
                handle.destroy();
                try {
                    handle.onExit().get(30, TimeUnit.SECONDS);
                } catch (java.util.concurrent.TimeoutException e) {
                    handle.descendants().forEach(ProcessHandle::destroyForcibly);
                    handle.destroyForcibly();
                    handle.onExit().get(10, TimeUnit.SECONDS);
                }
                System.out.println("stopped " + name);
            }
            Files.deleteIfExists(pidFile(name));
        }
        return 0;
    }

    /**
     * Clears the broker's data and drops the six databases, so that the next start begins empty on both sides;
     * refuses while anything runs.
     */
    public int reset() throws Exception {
        if (!runningComponents().isEmpty()) {
            System.err.println("still running: " + runningComponents() + " (stop it first: platform stop)");
            return 1;
        }
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://" + dbHost + ":" + dbPort
                + "/postgres", dbUser, dbPassword); Statement sql = connection.createStatement()) {
            for (String name : DATABASES.values()) {
                sql.execute("DROP DATABASE IF EXISTS " + dbPrefix + "_" + name + " WITH (FORCE)");
                System.out.println("dropped database " + dbPrefix + "_" + name);
            }
        } catch (SQLException e) {
            System.err.printf(Locale.ROOT, "PostgreSQL is not reachable at %s:%s as %s (%s); nothing was reset.%n",
                    dbHost, dbPort, dbUser, e.getMessage());
            return 1;
        }
        deleteRecursively(state.resolve("kafka"));
        System.out.println("deleted the broker's data in " + state.resolve("kafka"));
        return 0;
    }

    int status() {
        int running = 0;
        for (String name : Stream.concat(Stream.of("kafka", "smtp-sink"), LOCAL_PROCESSES.stream()).toList()) {
            boolean alive = alive(name);
            running += alive ? 1 : 0;
            String detail = "";
            int index = LOCAL_PROCESSES.indexOf(name);
            if (alive && index >= 0) {
                detail = get(managementPort + index, "/q/health/ready").map(r -> r.statusCode() == 200 ? "ready"
                        : "not ready").orElse("not answering");
            }
            System.out.printf(Locale.ROOT, "  %-22s %s %s%n", name, alive ? "running" : "stopped", detail);
        }
        return running == LOCAL_PROCESSES.size() + 2 ? 0 : 3;
    }

    private List<String> runningComponents() {
        return Stream.concat(Stream.of("kafka", "smtp-sink"), LOCAL_PROCESSES.stream()).filter(this::alive).toList();
    }

    private boolean alive(String name) {
        return process(name).map(ProcessHandle::isAlive).orElse(false);
    }

    private Optional<ProcessHandle> process(String name) {
        try {
            Path file = pidFile(name);
            return Files.exists(file) ? ProcessHandle.of(Long.parseLong(Files.readString(file).trim()))
                    : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Shared by campaign-service (verifies score links) and notification-service (signs them); local runs only. */
    public static final String FEEDBACK_LINK_SECRET = "local-feedback-secret-not-for-production";

    // ---- demo ----

    /**
     * Publishes a small realistic stream and shows what came out: points, tiers, triggers with vouchers and the mails
     * caught. Returns non-zero when an expected result is missing.
     */
    int demo() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        java.time.YearMonth month = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        long newCustomersBefore = newCustomers(month);
        String anna = "anna-" + run;
        String ben = "ben-" + run;
        String chris = "chris-" + run;
        LocalDate today = LocalDate.now(ZoneId.of("Europe/Berlin"));
        try (KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + kafkaPort)) {
            kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(anna, new CustomerRegistered(Instant.now(),
                    anna + "@example.com", "Anna", "Becker", "de-DE", "Europe/Berlin",
                    today.plusDays(3).minusYears(34), new ChannelConsents(true, false, false, false), null)));
            kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(ben, new CustomerRegistered(Instant.now(),
                    ben + "@example.com", "Ben", "Carter", "en-GB", "Europe/London", null,
                    new ChannelConsents(true, false, false, false), null)));
            kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(chris, new CustomerRegistered(Instant.now(),
                    chris + "@example.com", "Chris", "Doe", "en-GB", "Europe/London", null, ChannelConsents.none(),
                    anna)));
            Thread.sleep(1500); // profiles first, as a shop's sign-up precedes its orders
            var annaFirst = TestEvents.orderPlaced(anna).line("espresso-machine", 1, "120.00").build();
            var annaSecond = TestEvents.orderPlaced(anna).line("grinder", 1, "450.00").line("beans", 4, "12.50")
                    .build();
            var benOrder = TestEvents.orderPlaced(ben).line("kettle", 1, "39.90").build();
            var chrisOrder = TestEvents.orderPlaced(chris).line("mug", 2, "9.50").build();
            kafka.publishAll(Topics.ORDERS, List.of(annaFirst, benOrder, chrisOrder));
            Thread.sleep(1500);
            kafka.publish(Topics.ORDERS, annaSecond);
            String benOrderId = benOrder.data().orderId();
            kafka.publish(Topics.SHIPMENTS, TestEvents.envelope(ben, new ShipmentDispatched("shp-" + benOrderId,
                    benOrderId, "DHL", "JJD0001", Instant.now(), today.plusDays(1))));
            kafka.publish(Topics.SHIPMENTS, TestEvents.envelope(ben, new ShipmentDelayed("shp-" + benOrderId,
                    benOrderId, today.plusDays(4), "carrier backlog")));
            String chrisOrderId = chrisOrder.data().orderId();
            kafka.publish(Topics.SHIPMENTS, TestEvents.envelope(chris, new ShipmentDelivered("shp-" + chrisOrderId,
                    chrisOrderId, Instant.now())));
            kafka.publish(Topics.REVIEWS, TestEvents.reviewSubmitted(chris, chrisOrderId, 5));
            kafka.publish(Topics.ORDERS, TestEvents.orderReturned(anna, annaSecond.data().orderId(), "50.00", "EUR"));
            System.out.println("Published: 3 customers (Anna's birthday in 3 days), 4 orders, a late parcel, a "
                    + "delivery, a review, a return. Waiting for the platform...\n");

            Map<String, List<String>> expected = Map.of(
                    anna, List.of("referral-invitation", "tier-up", "birthday-offer"),
                    ben, List.of("referral-invitation", "delay-apology"),
                    chris, List.of("review-thanks"));
            long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
            Map<String, List<String>> triggers = Map.of();
            long mails = 0;
            while (System.nanoTime() < deadline) {
                triggers = triggers(kafka, Set.of(anna, ben, chris));
                mails = mailsFor(Set.of(anna, ben, chris));
                if (containsAll(triggers, expected) && mails >= 6) {
                    break;
                }
                Thread.sleep(1000);
            }
            printDemo(kafka, List.of(anna, ben, chris), triggers);
            boolean complete = containsAll(triggers, expected) && mails >= 6;
            if (!complete) {
                System.out.println("\nDemo incomplete: expected triggers " + expected + " and 6 mails; see the logs in "
                        + state.resolve("logs"));
                return 1;
            }
            boolean doubled = doublePointsWeekend(kafka, "dana-" + run);
            if (!doubled) {
                System.out.println("\nDemo incomplete: the order in the double-points weekend did not earn twice; see "
                        + "the logs in " + state.resolve("logs"));
                return 1;
            }
            boolean used = rewardUsedAtCheckout(kafka, ben);
            if (!used) {
                System.out.println("\nDemo incomplete: the reward's voucher was not issued or not redeemed with the "
                        + "order; see the logs in " + state.resolve("logs"));
                return 1;
            }
            boolean recommended = winBackWithRecommendations(kafka, "emma-" + run, run);
            if (!recommended) {
                System.out.println("\nDemo incomplete: the win-back mail with recommendations did not come; see the "
                        + "logs in " + state.resolve("logs"));
                return 1;
            }
            boolean reminded = cartReminder(kafka, "eva-" + run);
            if (!reminded) {
                System.out.println("\nDemo incomplete: the cart left 5 hours ago got no reminder mail; see the logs in "
                        + state.resolve("logs"));
                return 1;
            }
            boolean answered = feedbackMail(kafka, "fiona-" + run);
            if (!answered) {
                System.out.println("\nDemo incomplete: the feedback mail, its score link or the service recovery did "
                        + "not come; see the logs in " + state.resolve("logs"));
                return 1;
            }
            // Anna, Ben and Chris placed their first orders in this run, and the other customers of the demo too.
            boolean measured = insights(month, newCustomersBefore + 3);
            System.out.println(measured ? "\nDemo complete." : "\nDemo incomplete: insights-service did not count "
                    + "the demo's new customers; see the logs in " + state.resolve("logs"));
            return measured ? 0 : 1;
        }
    }

    /**
     * The programme as data: a marketer drafts the version in force plus a double-points weekend, an admin publishes
     * it, and the same basket earns once just before the weekend and twice in it, the ledger naming the rule that gave
     * the extra points.
     */
    private boolean doublePointsWeekend(KafkaTestClient kafka, String dana) throws Exception {
        int programme = httpPort + ALL_SERVICES.indexOf(PROGRAMME_SERVICE);
        com.fasterxml.jackson.databind.ObjectMapper json = dev.retention.contracts.ContractJson.mapper();
        String marketer = tokens().token("local-marketer", List.of("marketer"));
        String admin = tokens().token("local-admin", List.of("admin"));
        com.fasterxml.jackson.databind.JsonNode inForce = json.readTree(send(programme, "GET", "/programmes/default",
                marketer, null, 200)).path("inForce");
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) inForce.path("document").deepCopy();
        // The version takes effect in 5 s, the weekend 5 s later: an order between the two earns once, one in the
        // weekend twice, both judged by the new version (an older demo run's weekend may still be open before it).
        Instant effectiveFrom = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        Instant weekendFrom = effectiveFrom.plusSeconds(5);
        withDoublePointsWeekend(document, weekendFrom, weekendFrom.plus(Duration.ofHours(48)));
        var draft = json.createObjectNode().put("note", "Double points this weekend");
        draft.set("document", document);
        String draftId = json.readTree(send(programme, "POST", "/programmes/default/drafts", marketer,
                json.writeValueAsString(draft), 201)).path("id").asText();
        send(programme, "POST", "/drafts/" + draftId + "/validation", marketer, null, 200);
        com.fasterxml.jackson.databind.JsonNode version = json.readTree(send(programme, "POST", "/drafts/" + draftId
                + "/publication", admin, "{\"effectiveFrom\":\"" + effectiveFrom
                        + "\",\"reason\":\"Double points this weekend\"}", 201));
        System.out.printf(Locale.ROOT, "%nA marketer drafted a double-points weekend from %s; an admin published it as "
                + "programme version %d, in force from %s.%n", weekendFrom, version.path("version").asInt(),
                effectiveFrom);

        sleepUntil(effectiveFrom.plusSeconds(1));
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(dana).line("tea-set", 1, "40.00").build());
        sleepUntil(weekendFrom.plusSeconds(1));
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(dana).line("tea-set", 1, "40.00").build());

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        List<Long> earned = List.of();
        com.fasterxml.jackson.databind.JsonNode ledger = null;
        while (System.nanoTime() < deadline) {
            Optional<HttpResponse<String>> page = apiGet(httpPort, "/customers/" + dana + "/points/ledger");
            if (page.isPresent() && page.get().statusCode() == 200) {
                ledger = json.readTree(page.get().body()).path("entries");
                earned = new ArrayList<>();
                for (com.fasterxml.jackson.databind.JsonNode entry : ledger) {
                    if (entry.path("orderId").isTextual() && entry.path("kind").asText().startsWith("EARNED")) {
                        earned.add(0, entry.path("points").asLong()); // newest first on the page
                    }
                }
                if (earned.size() == 2) {
                    break;
                }
            }
            Thread.sleep(1000);
        }
        System.out.println("\n  " + dana + ": the same basket (40.00 EUR) just before the weekend and in it");
        if (ledger != null) {
            for (int i = ledger.size() - 1; i >= 0; i--) {
                com.fasterxml.jackson.databind.JsonNode entry = ledger.get(i);
                System.out.printf(Locale.ROOT, "    %-15s %5d points  %s%n", entry.path("kind").asText(),
                        entry.path("points").asLong(), entry.path("rules").isArray() ? entry.path("rules") : "");
            }
        }
        return earned.size() == 2 && earned.get(1) == 2 * earned.get(0);
    }

    /**
     * Feedback (NPS): an admin publishes a version that asks for feedback after delivery (instead of a review) within
     * 10 seconds; Fiona's order is delivered, the feedback mail with its 0-10 scale arrives, Fiona clicks "3" (the link's page, then
     * its post; then once more with "10", which changes nothing: one service recovery), and the detractor's apology voucher follows.
     */
    private boolean feedbackMail(KafkaTestClient kafka, String fiona) throws Exception {
        int programme = httpPort + ALL_SERVICES.indexOf(PROGRAMME_SERVICE);
        com.fasterxml.jackson.databind.ObjectMapper json = dev.retention.contracts.ContractJson.mapper();
        String marketer = tokens().token("local-marketer", List.of("marketer"));
        String admin = tokens().token("local-admin", List.of("admin"));
        com.fasterxml.jackson.databind.JsonNode inForce = json.readTree(send(programme, "GET", "/programmes/default",
                marketer, null, 200)).path("inForce");
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) inForce.path("document").deepCopy();
        var triggers = (com.fasterxml.jackson.databind.node.ObjectNode) document.path("triggers");
        ((com.fasterxml.jackson.databind.node.ObjectNode) triggers.path("reviewRequest")).put("after", "PT10S");
        var feedback = triggers.path("feedback").isObject()
                ? (com.fasterxml.jackson.databind.node.ObjectNode) triggers.path("feedback")
                : triggers.putObject("feedback");
        feedback.put("request", "feedback");
        Instant effectiveFrom = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var draft = json.createObjectNode().put("note", "Feedback mails after delivery");
        draft.set("document", document);
        String draftId = json.readTree(send(programme, "POST", "/programmes/default/drafts", marketer,
                json.writeValueAsString(draft), 201)).path("id").asText();
        send(programme, "POST", "/drafts/" + draftId + "/validation", marketer, null, 200);
        send(programme, "POST", "/drafts/" + draftId + "/publication", admin, "{\"effectiveFrom\":\"" + effectiveFrom
                + "\",\"reason\":\"Feedback mails after delivery\"}", 201);
        System.out.printf(Locale.ROOT, "%nAn admin published a version that asks for feedback 10 s after delivery, in "
                + "force from %s.%n", effectiveFrom);

        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(fiona, new CustomerRegistered(Instant.now(),
                fiona + "@example.com", "Fiona", "Fischer", "en-GB", "Europe/London", null,
                new ChannelConsents(true, false, false, false), null)));
        sleepUntil(effectiveFrom.plusSeconds(1));
        var order = TestEvents.orderPlaced(fiona).line("french-press", 1, "29.00").build();
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.SHIPMENTS, TestEvents.envelope(fiona, new ShipmentDelivered(
                "shp-" + order.data().orderId(), order.data().orderId(), Instant.now())));

        Optional<String> link = Optional.empty();
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (link.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            link = scoreLink(fiona, 3);
        }
        if (link.isEmpty()) {
            return false;
        }
        System.out.println("\n  " + fiona + " received the feedback mail; the link for \"3\":\n    " + link.get());
        // A mail client's click is a GET: a page whose form posts the score (a link scanner's GET records nothing).
        HttpResponse<String> opened = HTTP.send(HttpRequest.newBuilder(URI.create(link.get())).GET().build(),
                HttpResponse.BodyHandlers.ofString());
        boolean pagePostsTheScore = opened.statusCode() == 200 && opened.body().contains("<form method=\"post\"")
                && opened.body().contains("score=3\"");
        HttpResponse<String> first = HTTP.send(HttpRequest.newBuilder(URI.create(link.get()))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        HttpResponse<String> second = HTTP.send(HttpRequest.newBuilder(URI.create(link.get().replace("score=3",
                "score=10"))).POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
        System.out.printf(Locale.ROOT, "    first click: %d (%s); a second click with 10: %d (%s)%n", first.statusCode(),
                first.body().contains("recorded your score") ? "recorded" : "?", second.statusCode(),
                second.body().contains("already answered") ? "already answered, nothing changes" : "?");
        Map<String, List<String>> fired = Map.of();
        deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (System.nanoTime() < deadline) {
            fired = triggers(kafka, Set.of(fiona));
            if (fired.getOrDefault(fiona, List.of()).stream().anyMatch(t -> t.startsWith("service-recovery"))) {
                break;
            }
            Thread.sleep(1000);
        }
        System.out.println("    triggers: " + fired.getOrDefault(fiona, List.of()));
        // One score per order: one recovery, whatever the second click said.
        return pagePostsTheScore && first.statusCode() == 200 && first.body().contains("recorded your score")
                && second.body().contains("already answered")
                && fired.getOrDefault(fiona, List.of()).stream().filter(t -> t.startsWith("service-recovery")).distinct()
                        .count() == 1; // a relay may publish an event twice; a second recovery has its own voucher
    }

    /** The score link of the customer's feedback mail caught by the SMTP sink (quoted-printable undone). */
    private Optional<String> scoreLink(String customer, int score) throws IOException {
        Path mail = state.resolve("mail");
        if (!Files.isDirectory(mail)) {
            return Optional.empty();
        }
        java.util.regex.Pattern link = java.util.regex.Pattern.compile(
                "(http://[^\\s\"<>]+/feedback\\?token=[A-Za-z0-9_.%-]+&(?:amp;)?score=" + score + ")(?![0-9])");
        try (Stream<Path> files = Files.list(mail)) {
            for (Path file : files.toList()) {
                String content = Files.readString(file).replaceAll("=\r?\n", "").replace("=3D", "=");
                if (content.contains("To: " + customer + "@example.com")) {
                    java.util.regex.Matcher found = link.matcher(content);
                    if (found.find()) {
                        return Optional.of(found.group(1).replace("&amp;", "&"));
                    }
                }
            }
        }
        return Optional.empty();
    }

    /**
     * A cart left behind: the shop reports Eva's cart as last changed 5 hours ago (the built-in programme reminds
     * after 4), and the reminder listing its items reaches her mailbox within seconds.
     */
    private boolean cartReminder(KafkaTestClient kafka, String eva) throws Exception {
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(eva, new CustomerRegistered(Instant.now(),
                eva + "@example.com", "Eva", "Fischer", "de-DE", "Europe/Berlin", null,
                new ChannelConsents(true, false, false, false), null)));
        Thread.sleep(1000);
        kafka.publish(Topics.CARTS, TestEvents.cartUpdated(eva, "cart-" + eva, Instant.now().minus(Duration.ofHours(5)),
                "milk-frother", "1", "59.00", "espresso-cups", "2", "14.50"));
        System.out.printf("%nThe shop reported %s's cart as last changed 5 hours ago (a milk frother, two cups).%n",
                eva);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (System.nanoTime() < deadline) {
            boolean triggered = triggers(kafka, Set.of(eva)).getOrDefault(eva, List.of()).stream()
                    .anyMatch(t -> t.startsWith("cart-reminder"));
            if (triggered && mailsFor(Set.of(eva)) >= 1) {
                System.out.println("  cart reminder sent: " + triggers(kafka, Set.of(eva)).get(eva)
                        + "; mail caught in " + state.resolve("mail"));
                return true;
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /**
     * The rewards catalogue: support credits Ben 500 points as a goodwill gesture, Ben redeems them for the catalogue's
     * "5 off" (points-service debits them, campaign-service issues the voucher through events), and uses the voucher's
     * code in his next order: campaign-service marks it redeemed from the order event.
     */
    private boolean rewardUsedAtCheckout(KafkaTestClient kafka, String ben) throws Exception {
        String support = tokens().token("local-support", List.of("support"));
        String storefront = tokens().token(ben, List.of("storefront"));
        send(httpPort, "POST", "/customers/" + ben + "/points/adjustments", support,
                "{\"points\":500,\"reason\":\"Goodwill: the late parcel\"}", 201, "goodwill-" + ben);
        com.fasterxml.jackson.databind.JsonNode redemption = dev.retention.contracts.ContractJson.mapper().readTree(
                send(httpPort, "POST", "/customers/" + ben + "/rewards/five-off/redemptions", storefront,
                        "{\"currency\":\"EUR\"}", 201, "five-off-" + ben));
        System.out.printf(Locale.ROOT, "%nSupport credited %s 500 points; %s redeemed them for \"5 off your next "
                + "order\" (redemption %s).%n", ben, ben, redemption.path("redemptionId").asText());
        EventDecoder decoder = new EventDecoder();
        String code = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (code == null && System.nanoTime() < deadline) {
            for (var record : kafka.readAll(Topics.RETENTION_TRIGGERS)) {
                if (ben.equals(record.key()) && decoder.decode(Topics.RETENTION_TRIGGERS, record.key(), record.value(),
                        Map.of()) instanceof DecodeResult.Decoded decoded && decoded.event().data()
                        instanceof TriggerFired fired && fired.reward() != null && fired.voucher() != null) {
                    code = fired.voucher().code();
                }
            }
            Thread.sleep(1000);
        }
        if (code == null) {
            return false;
        }
        var order = TestEvents.orderPlaced(ben).line("teapot", 1, "34.90").voucher(code).build();
        kafka.publish(Topics.ORDERS, order);
        System.out.printf(Locale.ROOT, "  voucher %s issued; %s used it in order %s.%n", code, ben,
                order.data().orderId());
        while (System.nanoTime() < deadline + Duration.ofSeconds(30).toNanos()) {
            for (var record : kafka.readAll(Topics.RETENTION_TRIGGERS)) {
                if (ben.equals(record.key()) && decoder.decode(Topics.RETENTION_TRIGGERS, record.key(), record.value(),
                        Map.of()) instanceof DecodeResult.Decoded decoded && decoded.event().data()
                        instanceof dev.retention.contracts.events.VoucherRedeemed redeemed
                        && redeemed.orderId().equals(order.data().orderId())) {
                    System.out.printf(Locale.ROOT, "  voucher.redeemed: %s off order %s (%s).%n",
                            redeemed.discount() == null ? "-" : redeemed.discount().amount().toPlainString() + " "
                                    + redeemed.discount().currency(), redeemed.orderId(), redeemed.source());
                    return true;
                }
            }
            Thread.sleep(1000);
        }
        return false;
    }

    /**
     * Recommendations: the shop publishes a few products, other customers buy the espresso machine with beans and with
     * a descaler (and with a milk jug, sold out), and Emma buys the machine alone. A programme version shortens the
     * win-back to 20 seconds for the demo; Emma's win-back carries the items bought with the machine and her mail
     * shows them by name and link. The 60-day ladder is published again afterwards.
     */
    private boolean winBackWithRecommendations(KafkaTestClient kafka, String emma, String run) throws Exception {
        Map<String, String> products = new java.util.LinkedHashMap<>();
        products.put("espresso-machine", "Espresso machine");
        products.put("beans", "Espresso beans, 1 kg");
        products.put("descaler", "Descaler");
        products.put("milk-jug", "Milk jug");
        for (Map.Entry<String, String> product : products.entrySet()) {
            String sku = product.getKey();
            kafka.publish(Topics.PRODUCTS, TestEvents.envelope(sku, new dev.retention.contracts.events.ProductUpdated(
                    sku, product.getValue(), "https://shop.example.com/p/" + sku,
                    "https://shop.example.com/img/" + sku + ".jpg", "coffee", !sku.equals("milk-jug"), Instant.now())));
        }
        for (int i = 0; i < 4; i++) {
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced("shopper-" + run + "-b" + i)
                    .line("espresso-machine", 1, "120.00").line("beans", 1, "18.00").build());
        }
        for (int i = 0; i < 3; i++) {
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced("shopper-" + run + "-d" + i)
                    .line("espresso-machine", 1, "120.00").line("descaler", 1, "9.90").build());
            kafka.publish(Topics.ORDERS, TestEvents.orderPlaced("shopper-" + run + "-m" + i)
                    .line("espresso-machine", 1, "120.00").line("milk-jug", 1, "14.90").build());
        }
        kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(emma, new CustomerRegistered(Instant.now(),
                emma + "@example.com", "Emma", "Fischer", "en-GB", "Europe/London", null,
                new ChannelConsents(true, false, false, false), null)));

        com.fasterxml.jackson.databind.JsonNode ladder = publishWinBackLadder(null, "Win-back after 20 seconds (demo)");
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(emma).line("espresso-machine", 1, "120.00").build());
        System.out.printf(Locale.ROOT, "%nThe shop published %d products; 10 other orders had the espresso machine "
                + "with beans, a descaler or a (sold-out) milk jug; %s bought the machine alone, under a programme "
                + "version whose win-back comes after 20 seconds.%n", products.size(), emma);

        EventDecoder decoder = new EventDecoder();
        TriggerFired winBack = null;
        String mailText = null;
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while ((winBack == null || mailText == null) && System.nanoTime() < deadline) {
            for (var record : kafka.readAll(Topics.RETENTION_TRIGGERS)) {
                if (emma.equals(record.key()) && decoder.decode(Topics.RETENTION_TRIGGERS, record.key(),
                        record.value(), Map.of()) instanceof DecodeResult.Decoded decoded
                        && decoded.event().data() instanceof TriggerFired fired
                        && fired.triggerType() == dev.retention.contracts.events.TriggerType.WIN_BACK) {
                    winBack = fired;
                }
            }
            mailText = winBackMail(emma);
            Thread.sleep(1000);
        }
        publishWinBackLadder(ladder, "Win-back ladder as before the demo");
        if (winBack == null || mailText == null) {
            return false;
        }
        System.out.println("  win-back for " + emma + ": recommendations " + winBack.recommendedSkus());
        System.out.println("  the mail shows:");
        mailText.lines().filter(l -> l.startsWith("- ") || l.startsWith("Often bought"))
                .forEach(l -> System.out.println("    " + l));
        return winBack.recommendedSkus().containsAll(List.of("beans", "descaler"))
                && !winBack.recommendedSkus().contains("milk-jug") && mailText.contains("Espresso beans, 1 kg");
    }

    /**
     * Publishes the version in force with another win-back ladder: one step after 20 seconds when {@code ladder} is
     * null, else {@code ladder}. Returns the ladder it replaced.
     */
    private com.fasterxml.jackson.databind.JsonNode publishWinBackLadder(com.fasterxml.jackson.databind.JsonNode ladder,
                                                                         String reason) throws Exception {
        int programme = httpPort + ALL_SERVICES.indexOf(PROGRAMME_SERVICE);
        com.fasterxml.jackson.databind.ObjectMapper json = dev.retention.contracts.ContractJson.mapper();
        String marketer = tokens().token("local-marketer", List.of("marketer"));
        String admin = tokens().token("local-admin", List.of("admin"));
        var document = (com.fasterxml.jackson.databind.node.ObjectNode) json.readTree(send(programme, "GET",
                "/programmes/default", marketer, null, 200)).path("inForce").path("document").deepCopy();
        var winBack = (com.fasterxml.jackson.databind.node.ObjectNode) document.path("triggers").path("winBack");
        com.fasterxml.jackson.databind.JsonNode replaced = winBack.path("steps").deepCopy();
        if (ladder == null) {
            var steps = json.createArrayNode();
            steps.addObject().put("after", "PT20S").set("voucher", replaced.path(0).path("voucher").deepCopy());
            winBack.set("steps", steps);
        } else {
            winBack.set("steps", ladder);
        }
        winBack.put("enabled", true);
        Instant effectiveFrom = Instant.now().plusSeconds(5).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
        var draft = json.createObjectNode().put("note", reason);
        draft.set("document", document);
        String draftId = json.readTree(send(programme, "POST", "/programmes/default/drafts", marketer,
                json.writeValueAsString(draft), 201)).path("id").asText();
        send(programme, "POST", "/drafts/" + draftId + "/validation", marketer, null, 200);
        send(programme, "POST", "/drafts/" + draftId + "/publication", admin, "{\"effectiveFrom\":\""
                + effectiveFrom + "\",\"reason\":\"" + reason + "\"}", 201);
        sleepUntil(effectiveFrom.plusSeconds(1));
        return replaced;
    }

    /** The plain text of the win-back mail to {@code customer}, once caught. */
    private String winBackMail(String customer) throws IOException {
        Path mail = state.resolve("mail");
        if (!Files.isDirectory(mail)) {
            return null;
        }
        try (Stream<Path> files = Files.list(mail)) {
            for (Path file : files.toList()) {
                String content = Files.readString(file);
                if (content.contains("To: " + customer + "@example.com") && content.contains("We miss you")) {
                    return content;
                }
            }
        }
        return null;
    }

    /**
     * The programme document with the earning rule {@code double-points-weekend} (twice the base points for orders
     * placed in {@code [from, until)}) in place of any it had.
     */
    public static com.fasterxml.jackson.databind.node.ObjectNode withDoublePointsWeekend(
            com.fasterxml.jackson.databind.node.ObjectNode document, Instant from, Instant until) {
        var rules = (com.fasterxml.jackson.databind.node.ArrayNode) document.path("earning").path("rules");
        for (int i = rules.size() - 1; i >= 0; i--) {
            if (rules.get(i).path("id").asText().equals("double-points-weekend")) {
                rules.remove(i); // an earlier demo run's weekend: this one replaces it
            }
        }
        var rule = rules.addObject();
        rule.put("id", "double-points-weekend").put("name", "Double points weekend");
        rule.putObject("when").putObject("window").put("from", from.toString()).put("until", until.toString());
        rule.putObject("effect").put("type", "MULTIPLIER").put("value", "2");
        return document;
    }

    private static void sleepUntil(Instant time) throws InterruptedException {
        Thread.sleep(Math.max(0, Duration.between(Instant.now(), time).toMillis()));
    }

    /** A call to a service's API with a token; any other status than {@code expected} fails the demo. */
    private static String send(int port, String method, String path, String token, String body, int expected)
            throws Exception {
        return send(port, method, path, token, body, expected, null);
    }

    /** With an Idempotency-Key when {@code idempotencyKey} is not null. */
    private static String send(int port, String method, String path, String token, String body, int expected,
                               String idempotencyKey) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + token)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        if (idempotencyKey != null) {
            request.header("Idempotency-Key", idempotencyKey);
        }
        HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new IllegalStateException(method + " " + path + " answered " + response.statusCode() + ": "
                    + response.body());
        }
        return response.body();
    }

    /** Every expected trigger type is among the customer's triggers (described as "type (voucher …)"). */
    private static boolean containsAll(Map<String, List<String>> triggers, Map<String, List<String>> expected) {
        return expected.entrySet().stream().allMatch(e -> triggers.getOrDefault(e.getKey(), List.of()).stream()
                .map(t -> t.split(" ")[0]).collect(Collectors.toSet()).containsAll(e.getValue()));
    }

    private static Map<String, List<String>> triggers(KafkaTestClient kafka, Set<String> customers) {
        EventDecoder decoder = new EventDecoder();
        Map<String, List<String>> triggers = new TreeMap<>();
        kafka.readAll(Topics.RETENTION_TRIGGERS).stream().filter(r -> customers.contains(r.key())).forEach(r -> {
            if (decoder.decode(Topics.RETENTION_TRIGGERS, r.key(), r.value(), Map.of())
                    instanceof DecodeResult.Decoded decoded && decoded.event().data() instanceof TriggerFired fired) {
                triggers.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(fired.triggerType().wireName()
                        + (fired.voucher() == null ? "" : " (voucher " + fired.voucher().code() + ")"));
            }
        });
        return triggers;
    }

    private long mailsFor(Set<String> customers) throws IOException {
        Path mail = state.resolve("mail");
        if (!Files.isDirectory(mail)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(mail)) {
            return files.filter(f -> {
                try {
                    String content = Files.readString(f);
                    return customers.stream().anyMatch(c -> content.contains("To: " + c + "@example.com"));
                } catch (IOException e) {
                    return false;
                }
            }).count();
        }
    }

    /**
     * What an analyst sees of the demo's shop in insights-service: waits until the month's new customers reach
     * {@code expectedNewCustomers}, then prints the month's retention, points and uplift figures.
     */
    private boolean insights(java.time.YearMonth month, long expectedNewCustomers) throws Exception {
        int port = httpPort + LOCAL_SERVICES.indexOf(INSIGHTS_SERVICE);
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        long newCustomers = newCustomers(month);
        while (newCustomers < expectedNewCustomers && System.nanoTime() < deadline) {
            Thread.sleep(1000);
            newCustomers = newCustomers(month);
        }
        com.fasterxml.jackson.databind.ObjectMapper json = dev.retention.contracts.ContractJson.mapper();
        String range = "?from=" + month + "&to=" + month;
        var retention = json.readTree(send(port, "GET", "/insights/retention" + range, analystToken(), null, 200))
                .path("months").path(0);
        var points = json.readTree(send(port, "GET", "/insights/points" + range, analystToken(), null, 200));
        var pointsMonth = points.path("months").path(0);
        var uplift = json.readTree(send(port, "GET", "/insights/uplift" + range, analystToken(), null, 200));
        System.out.printf(Locale.ROOT, "%nInsights for %s (insights-service, http://localhost:%d/insights/..., with an "
                + "analyst's token: deploy/local/platform token --role=analyst):%n", month, port);
        System.out.printf(Locale.ROOT, "  retention: %d new customers this month, %d active at its start; retention "
                        + "rate %s; repeat purchase rate %s (%d of %d customers so far)%n",
                retention.path("newCustomers").asLong(), retention.path("activeAtStart").asLong(),
                percent(retention.path("retentionRate"), "none yet (no customer was active at the month's start)"),
                percent(retention.path("repeatPurchaseRate"), "none yet"),
                retention.path("repeatCustomersSoFar").asLong(), retention.path("customersSoFar").asLong());
        System.out.printf(Locale.ROOT, "  points:    %d issued, %d redeemed, %d expired this month; %d outstanding, a "
                        + "liability of %s %s%n", pointsMonth.path("issued").asLong(),
                pointsMonth.path("redeemed").asLong(), pointsMonth.path("expired").asLong(),
                pointsMonth.path("outstanding").asLong(), pointsMonth.path("liability").asText(),
                points.path("currency").asText());
        for (var row : uplift.path("rows")) {
            System.out.printf(Locale.ROOT, "  uplift:    %-20s %d exposed, %d held out: %s%n",
                    row.path("triggerType").asText(), row.path("treated").path("exposures").asLong(),
                    row.path("heldOut").path("exposures").asLong(), row.path("notEnoughData").isTextual()
                            ? row.path("notEnoughData").asText()
                            : percent(row.path("conversionUplift").path("estimate"), "?") + " more conversions");
        }
        System.out.println("  (the local run keeps no holdout group, so every uplift waits for data)");
        return newCustomers >= expectedNewCustomers;
    }

    /** The month's new customers as insights-service counts them; -1 while it does not answer. */
    private long newCustomers(java.time.YearMonth month) {
        int port = httpPort + LOCAL_SERVICES.indexOf(INSIGHTS_SERVICE);
        return get(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/insights/retention?from=" + month
                        + "&to=" + month)).header("Authorization", "Bearer " + analystToken()))
                .filter(response -> response.statusCode() == 200).map(response -> {
                    try {
                        return dev.retention.contracts.ContractJson.mapper().readTree(response.body()).path("months")
                                .path(0).path("newCustomers").asLong(-1);
                    } catch (IOException e) {
                        return -1L;
                    }
                }).orElse(-1L);
    }

    /** A token with the analyst role, which the insights API asks for. */
    String analystToken() {
        return tokens().token("local-analyst", List.of("analyst"));
    }

    private static String percent(com.fasterxml.jackson.databind.JsonNode share, String absent) {
        return share.isNumber() ? String.format(Locale.ROOT, "%.1f %%", share.asDouble() * 100) : absent;
    }

    private void printDemo(KafkaTestClient kafka, List<String> customers, Map<String, List<String>> triggers)
            throws IOException {
        System.out.println("What came out:\n");
        for (String customer : customers) {
            String points = apiGet(httpPort, "/customers/" + customer + "/points").map(HttpResponse::body)
                    .orElse("(no answer)");
            String tier = apiGet(httpPort + 1, "/customers/" + customer + "/tier").map(HttpResponse::body)
                    .orElse("(no answer)");
            System.out.println("  " + customer);
            System.out.println("    points:   " + points);
            System.out.println("    tier:     " + tier);
            System.out.println("    triggers: " + triggers.getOrDefault(customer, List.of()));
        }
        Map<String, Long> counts = new TreeMap<>();
        for (String topic : List.of(Topics.LOYALTY_POINTS, Topics.LOYALTY_TIER_CHANGES, Topics.RETENTION_TRIGGERS,
                Topics.RETENTION_NOTIFICATIONS)) {
            counts.put(topic, kafka.readAll(topic).stream().filter(r -> customers.contains(r.key())).count());
        }
        System.out.println("\n  events on the output topics: " + counts);
        Path mail = state.resolve("mail");
        if (Files.isDirectory(mail)) {
            try (Stream<Path> files = Files.list(mail)) {
                List<String> subjects = files.sorted().map(f -> {
                    try {
                        String content = Files.readString(f);
                        String to = line(content, "To: ");
                        return customers.stream().anyMatch(to::contains) ? to + " — " + decodeSubject(line(content,
                                "Subject: ")) : null;
                    } catch (IOException e) {
                        return null;
                    }
                }).filter(s -> s != null).collect(Collectors.toList());
                System.out.println("\n  mails caught in " + mail + ":");
                subjects.forEach(s -> System.out.println("    " + s));
            }
        }
    }

    private static String line(String content, String prefix) {
        return content.lines().filter(l -> l.startsWith(prefix)).findFirst().map(l -> l.substring(prefix.length()))
                .orElse("");
    }

    /** Subjects with umlauts arrive MIME-encoded (=?UTF-8?Q?...?=). */
    private static String decodeSubject(String subject) {
        try {
            return jakarta.mail.internet.MimeUtility.decodeText(subject);
        } catch (Exception e) {
            return subject;
        }
    }

    // ---- helpers ----

    private Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000, AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG,
                5000));
    }

    /** The API with an admin token of the local issuer. */
    private Optional<HttpResponse<String>> apiGet(int port, String path) {
        return get(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .header("Authorization", "Bearer " + tokens().token("local-demo", List.of("admin"))));
    }

    private static Optional<HttpResponse<String>> get(int port, String path) {
        return get(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)));
    }

    private static Optional<HttpResponse<String>> get(HttpRequest.Builder request) {
        try {
            return Optional.of(HTTP.send(request.timeout(Duration.ofSeconds(3)).build(),
                    HttpResponse.BodyHandlers.ofString()));
        } catch (IOException e) {
            return Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    private Path jar(String service) {
        return root.resolve(service + "/target/quarkus-app/quarkus-run.jar");
    }

    private Path log(String name) {
        return state.resolve("logs").resolve(name + ".log");
    }

    private Path pidFile(String name) {
        return state.resolve("pids").resolve(name + ".pid");
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private static String env(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
