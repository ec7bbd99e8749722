package dev.retention.platform;

import dev.retention.bench.ServiceProcess;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.kafka.KafkaBroker;
import dev.retention.local.LocalPlatform;
import dev.retention.local.SmtpSink;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.Tokens;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The four packaged services as separate processes, as an operator runs them, against a real broker, a database
 * each and an SMTP server that keeps every mail: what the system tests break and restart and the platform benchmark
 * loads.
 */
public final class RunningPlatform implements AutoCloseable {

    public static final Map<String, List<String>> CONSUMED = LocalPlatform.CONSUMED;
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    public static final List<String> SERVICES = LocalPlatform.SERVICES;

    public final KafkaBroker broker;
    public final Path mail;
    private final SmtpSink smtp;
    private final Map<String, TestDatabase> databases = new LinkedHashMap<>();
    /** The API ports of the services programme-service asks to simulate, chosen before any service starts. */
    private final Map<String, Integer> apiPorts = new HashMap<>();
    private final Map<String, ServiceProcess> services = new LinkedHashMap<>();
    /** The latest second instance of each service (for a failure's message: its health). */
    private final Map<String, ServiceProcess> replicas = new HashMap<>();
    private final Tokens tokens;
    private final Path root;
    private final Map<String, Map<String, String>> extraSettings;
    private final String label;
    /** Where each service's database is made: the machine's server, or a cluster the test owns. */
    private final Function<String, TestDatabase> newDatabase;
    private final List<String> jvmOptions = new ArrayList<>(ServiceProcess.jvmOptions("256m"));
    private String adminToken;

    RunningPlatform(Path root) throws Exception {
        this(root, Map.of());
    }

    /** With settings (environment variables) per service on top of the platform's own. */
    RunningPlatform(Path root, Map<String, Map<String, String>> extraSettings) throws Exception {
        this(root, "faults", List.of(), extraSettings, null);
    }

    /**
     * Services run with {@link ServiceProcess#jvmOptions} (256 MiB heap) and {@code serviceJvmOptions} and log to
     * {@code system-tests/target/<service>-<label>.log}; {@code mailListener}, if any, hears the recipients of every
     * mail the SMTP server accepts, as it accepts it.
     */
    public RunningPlatform(Path root, String label, List<String> serviceJvmOptions,
                           Map<String, Map<String, String>> extraSettings, SmtpSink.MailListener mailListener)
            throws Exception {
        this(root, label, serviceJvmOptions, extraSettings, mailListener, TestDatabase::create);
    }

    /**
     * As above, with each service's database made by {@code newDatabase} (given a name prefix): a {@code
     * PostgresCluster}'s, for the tests that restart, slow down or restore the database.
     */
    public RunningPlatform(Path root, String label, List<String> serviceJvmOptions,
                           Map<String, Map<String, String>> extraSettings, SmtpSink.MailListener mailListener,
                           Function<String, TestDatabase> newDatabase) throws Exception {
        this.root = root;
        this.newDatabase = newDatabase;
        this.jvmOptions.addAll(serviceJvmOptions);
        this.label = label;
        this.extraSettings = extraSettings;
        for (String simulating : List.of("points-service", "tier-service", "campaign-service")) {
            apiPorts.put(simulating, ServiceProcess.freePort());
        }
        broker = KafkaBroker.builder().maxHeap("256m").build().start();
        List<CompletableFuture<ServiceProcess>> starting = new ArrayList<>();
        try {
            try (KafkaTestClient admin = new KafkaTestClient(broker.bootstrapServers())) {
                admin.createTopics(3, LocalPlatform.topics().toArray(String[]::new));
                admin.admin().createTopics(List.of(LocalPlatform.programmeTopic(), LocalPlatform.productsTopic())).all()
                        .get(30, TimeUnit.SECONDS);
            }
            mail = root.resolve("system-tests/target/" + label + "-mail-"
                    + UUID.randomUUID().toString().substring(0, 8));
            smtp = new SmtpSink(0, mail, mailListener);
            Path logs = root.resolve("system-tests/target");
            // ServiceProcess's issuer; made here, so its key pair exists before four services start at once.
            tokens = Tokens.in(logs.resolve("bench-jwt"), "http://localhost/retention-bench");
            // programme-service too: it publishes version 1 of the programme, which every service then applies.
            for (String service : LocalPlatform.ALL_SERVICES) {
                starting.add(startAsync(service));
            }
            for (CompletableFuture<ServiceProcess> service : starting) {
                ServiceProcess started = service.get(180, TimeUnit.SECONDS);
                services.put(started.name(), started);
            }
        } catch (Exception failure) {
            // A service that does not start must not leave the others, the broker or the databases behind.
            stopAfterFailedStart(starting, failure);
            throw failure;
        }
    }

    private CompletableFuture<ServiceProcess> startAsync(String service) {
        TestDatabase database = newDatabase.apply("retention_" + label.replace('-', '_'));
        databases.put(service, database);
        return CompletableFuture.supplyAsync(() -> {
            try {
                return ServiceProcess.start(root, service, label, jvmOptions, broker, database, settings(service));
            } catch (Exception e) {
                throw new IllegalStateException(service + " did not start", e);
            }
        });
    }

    private void stopAfterFailedStart(List<CompletableFuture<ServiceProcess>> starting, Exception failure) {
        for (CompletableFuture<ServiceProcess> service : starting) {
            try {
                ServiceProcess started = service.get(180, TimeUnit.SECONDS);
                services.putIfAbsent(started.name(), started);
            } catch (Exception notStarted) {
                // nothing of it to stop
            }
        }
        try {
            close();
        } catch (Exception closing) {
            failure.addSuppressed(closing);
        }
    }

    private Map<String, String> settings(String service) {
        Map<String, String> settings = new HashMap<>();
        if (apiPorts.containsKey(service)) {
            settings.put("HTTP_PORT", Integer.toString(apiPorts.get(service)));
        }
        if (service.equals("campaign-service")) {
            settings.put("CAMPAIGN_HOLDOUT_SHARE", "0"); // every customer gets their marketing trigger: exact counts
            settings.put("FEEDBACK_LINK_SECRET", LocalPlatform.FEEDBACK_LINK_SECRET);
        }
        if (service.equals(LocalPlatform.PROGRAMME_SERVICE)) {
            // A simulation asks these services to re-run their rules: their ports are chosen before any starts.
            settings.put("POINTS_SERVICE_URL", "http://localhost:" + apiPorts.get("points-service"));
            settings.put("TIER_SERVICE_URL", "http://localhost:" + apiPorts.get("tier-service"));
            settings.put("CAMPAIGN_SERVICE_URL", "http://localhost:" + apiPorts.get("campaign-service"));
            // The same for the programme's version 1, which applies from programme-service's start on.
            try {
                settings.put("RETENTION_PROGRAMME_INITIAL_DOCUMENT", LocalPlatform.initialProgrammeWithoutHoldout(
                        root.resolve("system-tests/target/" + label + "-programme")).toString());
            } catch (java.io.IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        if (service.equals("notification-service")) {
            settings.put("MAIL_HOST", "127.0.0.1");
            settings.put("MAIL_PORT", Integer.toString(smtp.port()));
            settings.put("MAIL_START_TLS", "DISABLED");
            settings.put("UNSUBSCRIBE_SECRET", "fault-test-secret");
            settings.put("FEEDBACK_LINK_SECRET", LocalPlatform.FEEDBACK_LINK_SECRET);
            if (apiPorts.containsKey("campaign-service")) {
                settings.put("FEEDBACK_BASE_URL", "http://localhost:" + apiPorts.get("campaign-service"));
            }
            settings.put("PUBLIC_URL", "http://localhost");
            settings.put("RETENTION_NOTIFICATIONS_QUIET_HOURS_START", "00:00");
            settings.put("RETENTION_NOTIFICATIONS_QUIET_HOURS_END", "00:00");
        }
        settings.putAll(extraSettings.getOrDefault(service, Map.of()));
        return settings;
    }

    public ServiceProcess service(String name) {
        return services.get(name);
    }

    /** Another instance of the service on its own ports, with the same database and settings: a second replica. */
    ServiceProcess replica(String service) throws Exception {
        Map<String, String> settings = settings(service);
        settings.remove("HTTP_PORT"); // the replica's own
        ServiceProcess replica = ServiceProcess.start(root, service, label + "-replica", jvmOptions, broker,
                databases.get(service), settings);
        replicas.put(service, replica);
        return replica;
    }

    /**
     * Every service loses its database for {@code outage}: connections in use are closed and new ones refused, as
     * while PostgreSQL restarts. The other databases of the server are left alone.
     */
    void databaseOutage(Duration outage) throws Exception {
        try (Connection server = databases.values().iterator().next().connectToServer();
             var sql = server.createStatement()) {
            for (TestDatabase database : databases.values()) {
                sql.execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS false");
                sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '"
                        + database.name() + "'");
            }
            Thread.sleep(outage.toMillis());
            for (TestDatabase database : databases.values()) {
                sql.execute("ALTER DATABASE " + database.name() + " ALLOW_CONNECTIONS true");
            }
        }
    }

    /**
     * The runbook's rewind after a restore: every consumer group of the platform's services (stopped) commits, per
     * partition, the first record the broker received at or after {@code moment} (the end where none did), or its
     * own offset where that is earlier, so the services read again from there and skip nothing.
     */
    void rewindConsumerGroups(java.time.Instant moment) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            for (var group : admin.listConsumerGroups().all().get(10, TimeUnit.SECONDS)) {
                if (LocalPlatform.ALL_SERVICES.stream().noneMatch(service -> group.groupId().startsWith(service))) {
                    continue; // a test's own reader
                }
                Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group.groupId())
                        .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                if (committed.isEmpty()) {
                    continue;
                }
                Map<TopicPartition, OffsetSpec> at = committed.keySet().stream()
                        .collect(Collectors.toMap(p -> p, p -> OffsetSpec.forTimestamp(moment.toEpochMilli())));
                Map<TopicPartition, Long> ends = endOffsets(admin, committed.keySet().stream()
                        .map(TopicPartition::topic).distinct().toList());
                Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>();
                admin.listOffsets(at).all().get(10, TimeUnit.SECONDS).forEach((partition, found) -> rewound.put(
                        partition, new OffsetAndMetadata(Math.min(committed.get(partition).offset(),
                                found.offset() >= 0 ? found.offset() : ends.get(partition)))));
                admin.alterConsumerGroupOffsets(group.groupId(), rewound).all().get(10, TimeUnit.SECONDS);
            }
        }
    }

    /** The body of {@code GET path} on the service's API, as admin; anything but 200 fails the test. */
    String api(String service, String path) throws Exception {
        if (adminToken == null) {
            adminToken = tokens.token("platform-test", List.of("admin"));
        }
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + services.get(service).port() + path)).header("Authorization", "Bearer " + adminToken)
                .build(), HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200) {
            throw new AssertionError(service + " GET " + path + ": " + response.statusCode() + " " + response.body());
        }
        return response.body();
    }

    /** A call to the service's API with a token of the given role; returns the response, whatever its status. */
    public HttpResponse<String> call(String service, String method, String path, String jsonBody, String role)
            throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + services.get(service).port() + path))
                .header("Authorization", "Bearer " + tokens.token("platform-" + role, List.of(role)))
                .method(method, jsonBody == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(jsonBody));
        if (jsonBody != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * A call with a token whose subject is {@code subject} (a storefront acts for the customer its token names), a
     * body of {@code contentType} and further headers (an Idempotency-Key); returns the response, whatever its status.
     */
    public HttpResponse<String> call(String service, String method, String path, String body, String contentType,
                                     String subject, String role, Map<String, String> headers) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + services.get(service).port() + path))
                .timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + tokens.token(subject, List.of(role)))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", contentType);
        }
        headers.forEach(request::header);
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    /**
     * The topic's events by id, in the order read (one customer's stay in order): a relay retried after a crash may
     * have published an event twice, under its id. Everything a service wrote must decode.
     */
    static Map<String, EventEnvelope<?>> distinctEvents(KafkaTestClient reader, String topic) {
        EventDecoder decoder = new EventDecoder();
        Map<String, EventEnvelope<?>> events = new LinkedHashMap<>();
        for (ConsumerRecord<String, byte[]> record : reader.readAll(topic)) {
            DecodeResult result = decoder.decode(topic, record.key(), record.value(), Map.of());
            if (!(result instanceof DecodeResult.Decoded)) {
                throw new AssertionError("what " + record.key() + " wrote to " + topic + " does not decode: " + result);
            }
            EventEnvelope<?> event = ((DecodeResult.Decoded) result).event();
            events.putIfAbsent(event.id(), event);
        }
        return events;
    }

    /** Each running service's database, by service. */
    public Map<String, TestDatabase> databases() {
        return Collections.unmodifiableMap(databases);
    }

    public Connection connect(String service) throws SQLException {
        return databases.get(service).connect();
    }

    /**
     * Waits until every consumer group has committed the end of every topic it reads and every outbox is empty,
     * twice in a row a second apart (a relay may be about to publish what a downstream service then reads).
     */
    public void awaitQuiet(Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        int quietInARow = 0;
        String lastState = "";
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            while (quietInARow < 2) {
                lastState = pending(admin);
                quietInARow = lastState.isEmpty() ? quietInARow + 1 : 0;
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("the platform did not catch up within " + timeout + ": " + lastState
                            + lagDetail(admin));
                }
                Thread.sleep(1000);
            }
        }
    }

    /** What is still to be done: lag per group, rows per outbox; empty when quiet. */
    private String pending(Admin admin) throws Exception {
        List<String> pending = new ArrayList<>();
        for (String service : SERVICES) {
            long lag = lag(admin, service);
            if (lag > 0) {
                pending.add(service + " lag " + lag);
            }
        }
        for (String service : SERVICES) {
            long outbox = outboxRecords(service);
            if (outbox > 0) {
                pending.add(service + " outbox " + outbox);
            }
        }
        return String.join(", ", pending);
    }

    /**
     * For a failure's message: each lagging group's state and members, and the partitions it has not committed to
     * the end ({@code topic-partition committed/end}). A group whose members hold nothing, or a partition stuck
     * behind, tells a stalled consumer from a slow one.
     */
    private String lagDetail(Admin admin) throws Exception {
        StringBuilder detail = new StringBuilder();
        for (String service : SERVICES) {
            Map<String, Behind> behind = behind(admin, service);
            if (behind.isEmpty()) {
                continue;
            }
            ConsumerGroupDescription group = admin.describeConsumerGroups(List.of(service)).describedGroups()
                    .get(service).get(10, TimeUnit.SECONDS);
            detail.append("\n  ").append(service).append(": group ").append(group.groupState())
                    .append(", members ").append(group.members().stream()
                            .map(m -> m.clientId().replace("kafka-consumer-", "") + m.assignment().topicPartitions()
                                    .stream().map(TopicPartition::toString).sorted().toList())
                            .sorted().collect(Collectors.joining(" ")))
                    .append("; behind ").append(behind.entrySet().stream()
                            .map(p -> p.getKey() + " " + p.getValue().committed() + "/" + p.getValue().end()).toList())
                    .append("; health ").append(services.get(service).health())
                    .append(replicas.containsKey(service) ? ", replica's " + replicas.get(service).health() : "")
                    .append("; its database's open transactions ").append(openTransactions(service));
            broker.groupLog(service, 6).forEach(line -> detail.append("\n    broker: ").append(line));
        }
        return detail.toString();
    }

    /** The service database's sessions in a transaction: what they run or wait for, and for how long. */
    private List<String> openTransactions(String service) {
        List<String> sessions = new ArrayList<>();
        try (Connection connection = connect(service);
             var statement = connection.prepareStatement("""
                     SELECT pid, state, wait_event_type, wait_event, round(extract(epoch FROM now() - xact_start)),
                            left(regexp_replace(query, '\\s+', ' ', 'g'), 100)
                     FROM pg_stat_activity
                     WHERE datname = current_database() AND xact_start IS NOT NULL AND pid <> pg_backend_pid()""");
             ResultSet rows = statement.executeQuery()) {
            while (rows.next()) {
                sessions.add(rows.getInt(1) + " " + rows.getString(2) + " " + rows.getString(3) + "/"
                        + rows.getString(4) + " " + rows.getString(5) + " s: " + rows.getString(6));
            }
        } catch (SQLException e) {
            sessions.add("(not readable: " + e.getMessage() + ")");
        }
        return sessions;
    }

    /** Each service's highest resident set size since its last start, for a test's report ("318 MiB"). */
    public Map<String, String> peakRss() throws IOException {
        Map<String, String> rss = new TreeMap<>();
        for (String service : SERVICES) {
            rss.put(service, String.format("%.0f MiB", services.get(service).peakRssMiB()));
        }
        return rss;
    }

    /** The JVM options every service runs with. */
    public List<String> jvmOptions() {
        return List.copyOf(jvmOptions);
    }

    /**
     * What the service has still to do: its consumer lag or, once that is 0, the rows in its outbox. The outbox is
     * looked at only then, so that a watcher polling under load opens no database connection (a PostgreSQL process
     * each) while the service is behind anyway.
     */
    public long backlog(Admin admin, String service) throws Exception {
        long lag = lag(admin, service);
        return lag > 0 ? lag : outboxRecords(service);
    }

    /** Records on the topics the service reads that its consumer group has not committed yet. */
    public long lag(Admin admin, String service) throws Exception {
        return behind(admin, service).values().stream().mapToLong(Behind::records).sum();
    }

    /** A partition's committed offset short of its end. */
    private record Behind(long committed, long end) {
        long records() {
            return end - committed;
        }
    }

    /** The partitions of the topics the service reads whose end its group has not committed, by name. */
    private static Map<String, Behind> behind(Admin admin, String service) throws Exception {
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(service)
                .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
        Map<String, Behind> behind = new TreeMap<>();
        for (var end : endOffsets(admin, CONSUMED.get(service)).entrySet()) {
            OffsetAndMetadata at = committed.get(end.getKey());
            long offset = at == null ? 0 : at.offset();
            if (offset < end.getValue()) {
                behind.put(end.getKey().toString(), new Behind(offset, end.getValue()));
            }
        }
        return behind;
    }

    /** The end offset of every partition of the topics. */
    public static Map<TopicPartition, Long> endOffsets(Admin admin, List<String> topics) throws Exception {
        Map<TopicPartition, OffsetSpec> request = admin.describeTopics(topics).allTopicNames()
                .get(10, TimeUnit.SECONDS).values().stream()
                .flatMap(d -> d.partitions().stream().map(p -> new TopicPartition(d.name(), p.partition())))
                .collect(Collectors.toMap(p -> p, p -> OffsetSpec.latest()));
        return admin.listOffsets(request).all().get(10, TimeUnit.SECONDS).entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().offset()));
    }

    /** Events the service has committed but not yet published. */
    public long outboxRecords(String service) throws SQLException {
        try (Connection connection = connect(service);
             ResultSet rows = connection.createStatement()
                     .executeQuery("SELECT coalesce(sum(record_count), 0) FROM eventing_outbox_batch")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    /** Every mail caught so far: its Message-ID and recipient. */
    List<Mail> mails() throws IOException {
        try (Stream<Path> files = Files.list(mail)) {
            List<Mail> mails = new ArrayList<>();
            for (Path file : files.sorted().toList()) {
                List<String> lines = Files.readAllLines(file);
                mails.add(new Mail(header(lines, "Message-ID: "), header(lines, "To: "), file));
            }
            return mails;
        }
    }

    /** A caught mail; {@code file} holds it whole (RFC 5322). */
    record Mail(String messageId, String to, Path file) {

        /** The decoded subject and plain-text body. */
        String subjectAndText() throws Exception {
            try (var in = Files.newInputStream(file)) {
                var message = new jakarta.mail.internet.MimeMessage((jakarta.mail.Session) null, in);
                return message.getSubject() + "\n" + text(message.getContent());
            }
        }

        private static String text(Object content) throws Exception {
            if (content instanceof jakarta.mail.Multipart multipart) {
                StringBuilder text = new StringBuilder();
                for (int i = 0; i < multipart.getCount(); i++) {
                    var part = multipart.getBodyPart(i);
                    text.append(part.isMimeType("text/plain") ? part.getContent() : text(part.getContent()));
                }
                return text.toString();
            }
            return "";
        }
    }

    private static String header(List<String> lines, String name) {
        return lines.stream().filter(l -> l.regionMatches(true, 0, name, 0, name.length())).findFirst()
                .map(l -> l.substring(name.length()).trim()).orElse("");
    }

    @Override
    public void close() throws Exception {
        for (ServiceProcess service : services.values()) {
            service.close();
        }
        if (smtp != null) {
            smtp.close();
        }
        broker.close();
        for (TestDatabase database : databases.values()) {
            database.close();
        }
    }
}
