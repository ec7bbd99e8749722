package dev.retention.local;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's local run, as a user runs it: start everything, run the demo, erase a customer and search the whole
 * platform for what it knew of them, stop, and nothing is left running; start again on the kept broker data and
 * databases, then reset both. Uses free ports and its own databases so that it does not collide with a local run in
 * use. The tests share one running platform and run in order.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LocalPlatformTest {

    private static final String DB_PREFIX = "retention_localtest_" + UUID.randomUUID().toString().substring(0, 8);
    private static final Map<String, String> DATABASES = Map.of("points-service", "points",
            "tier-service", "tiers", "campaign-service", "campaigns", "notification-service", "notifications",
            "programme-service", "programme", "insights-service", "insights");
    private static final Path STATE = Path.of("target/local-test");
    private static LocalPlatform platform;
    private static int kafkaPort;
    private static int httpPort;
    private static int managementPort;
    private static List<String> outcomesBeforeStop = List.of();

    @BeforeAll
    static void start() throws Exception {
        kafkaPort = LocalPorts.freeRange(1);
        int services = LocalPlatform.LOCAL_PROCESSES.size();
        httpPort = LocalPorts.freeRange(2 * services);
        managementPort = httpPort + services;
        platform = new LocalPlatform(Map.of("root", "..", "state", "system-tests/" + STATE,
                "kafka-port", Integer.toString(kafkaPort), "http-port", Integer.toString(httpPort),
                "management-port", Integer.toString(managementPort), "smtp-port", Integer.toString(LocalPorts.freeRange(1)),
                "db-prefix", DB_PREFIX));
        assertThat(platform.reset()).as("an earlier run's broker data cleared").isZero();
        assertThat(platform.start()).isZero();
    }

    @Test
    @Order(1)
    void runsTheDemoBehindTokenProtectedApis() throws Exception {
        assertThat(platform.status()).isZero();
        // The APIs refuse a call without a token (the demo below reads them with one).
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + httpPort + "/customers/c-1/points")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(401);
        // The packaged services serve Swagger UI and their description as JSON on the API port: the local run
        // switches Swagger UI on (SWAGGER_UI_ENABLED=true), which production leaves off.
        // The services' ports (the console's, after them, serves pages and sends a visitor without a session to its
        // sign-in).
        for (int port = httpPort; port < httpPort + LocalPlatform.LOCAL_SERVICES.size(); port++) {
            for (String path : List.of("/q/swagger-ui/", "/q/openapi?format=json")) {
                assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                                java.net.URI.create("http://127.0.0.1:" + port + path)).build(),
                        java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).as("%d%s", port, path)
                        .isEqualTo(200);
            }
        }

        // The console answers on the port after the services': its sign-in page, and a page without a session sends there.
        int consolePort = httpPort + LocalPlatform.LOCAL_PROCESSES.indexOf(LocalPlatform.CONSOLE);
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + consolePort + "/sign-in")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString()).body()).contains("<form", "name=\"role\"");
        assertThat(java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + consolePort + "/customers")).build(),
                java.net.http.HttpResponse.BodyHandlers.discarding()).statusCode()).isEqualTo(303);

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
        assertThat(mails("@example.com")).hasSizeGreaterThanOrEqualTo(6);
        assertThat(shown).contains("Insights for", "new customers this month", "outstanding, a liability of");

        // insights-service's answer is the demo shop's, as the test computes it from the topics the demo filled (the
        // broker and the databases started empty): every customer who ordered is new this month, and the outstanding
        // points are the sum of each customer's latest balance on loyalty.points.
        java.time.YearMonth month = java.time.YearMonth.now(java.time.ZoneOffset.UTC);
        awaitUntil(() -> insights("retention", month).path("months").path(0).path("newCustomers").asLong()
                == customersWhoOrdered(month), Duration.ofSeconds(60), "the demo's customers counted as new");
        assertThat(customersWhoOrdered(month)).isGreaterThanOrEqualTo(3);
        awaitUntil(() -> insights("points", month).path("months").path(0).path("outstanding").asLong()
                == outstandingPoints(), Duration.ofSeconds(60), "the demo's outstanding points");
        assertThat(outstandingPoints()).isPositive();
    }

    /** An insights measure for one month, as an analyst reads it. */
    private static com.fasterxml.jackson.databind.JsonNode insights(String measure, java.time.YearMonth month)
            throws Exception {
        int port = httpPort + LocalPlatform.LOCAL_SERVICES.indexOf(LocalPlatform.INSIGHTS_SERVICE);
        var response = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create("http://127.0.0.1:" + port + "/insights/" + measure + "?from=" + month
                                + "&to=" + month)).header("Authorization", "Bearer " + platform.analystToken()).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        return dev.retention.contracts.ContractJson.mapper().readTree(response.body());
    }

    /** The customers with an order.placed on the orders topic whose first order is in {@code month}. */
    private static long customersWhoOrdered(java.time.YearMonth month) {
        EventDecoder decoder = new EventDecoder();
        Map<String, Instant> firstOrder = new java.util.HashMap<>();
        try (KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + kafkaPort)) {
            for (ConsumerRecord<String, byte[]> record : kafka.readAll(Topics.ORDERS)) {
                if (decoder.decode(Topics.ORDERS, record.key(), record.value(), Map.of())
                        instanceof DecodeResult.Decoded decoded
                        && decoded.event().data() instanceof dev.retention.contracts.events.OrderPlaced placed) {
                    firstOrder.merge(record.key(), placed.placedAt(), (a, b) -> a.isBefore(b) ? a : b);
                }
            }
        }
        return firstOrder.values().stream()
                .filter(at -> java.time.YearMonth.from(at.atZone(java.time.ZoneOffset.UTC)).equals(month)).count();
    }

    /** Available plus pending points of every customer: their latest points.changed (one partition per customer). */
    private static long outstandingPoints() {
        EventDecoder decoder = new EventDecoder();
        Map<String, dev.retention.contracts.events.PointsChanged> latest = new java.util.HashMap<>();
        Map<String, Long> latestOffset = new java.util.HashMap<>();
        try (KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + kafkaPort)) {
            for (ConsumerRecord<String, byte[]> record : kafka.readAll(Topics.LOYALTY_POINTS)) {
                if (decoder.decode(Topics.LOYALTY_POINTS, record.key(), record.value(), Map.of())
                        instanceof DecodeResult.Decoded decoded
                        && decoded.event().data() instanceof dev.retention.contracts.events.PointsChanged changed
                        && record.offset() >= latestOffset.getOrDefault(record.key(), -1L)) {
                    latest.put(record.key(), changed);
                    latestOffset.put(record.key(), record.offset());
                }
            }
        }
        return latest.values().stream().mapToLong(p -> p.availableAfter() + p.pendingAfter()).sum();
    }

    @Test
    @Order(2)
    void anErasedCustomersPersonalDataIsInNoTableOutputTopicOrServiceLog() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 6);
        String customer = "erin-" + run;
        String email = "erin.quistorp." + run + "@example.org";
        LocalDate birthDate = LocalDate.now(ZoneId.of("Europe/Berlin")).plusDays(3).minusYears(40);
        List<String> personalData = List.of(email, "Erinna", "Quistorp", birthDate.toString());
        try (KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + kafkaPort)) {
            kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerRegistered(Instant.now(), email,
                    "Erinna", "Quistorp", "de-DE", "Europe/Berlin", birthDate,
                    new ChannelConsents(true, false, false, false), null)));
            var order = TestEvents.orderPlaced(customer).line("teapot", 1, "64.00").build();
            kafka.publish(Topics.ORDERS, order);
            String orderId = order.data().orderId();
            kafka.publish(Topics.SHIPMENTS, TestEvents.envelope(customer, new ShipmentDispatched("shp-" + orderId,
                    orderId, "DHL", "JJD0002", Instant.now(), LocalDate.now().plusDays(2))));
            // Birthday offer and referral invitation, both greeting Erinna by name.
            awaitUntil(() -> mails(email).size() >= 2, Duration.ofSeconds(90), "two mails to the customer");
            int mailsBefore = mails(email).size();
            assertThat(placesHolding(customer, personalData))
                    .as("the search finds what the platform knows before the erasure")
                    .contains("campaigns.campaign_customer holds " + birthDate, "notifications.contact holds " + email,
                            "notifications.contact holds Erinna", "points.points_account holds " + customer,
                            "points.points_ledger holds " + customer);

            kafka.publish(Topics.CUSTOMERS, TestEvents.envelope(customer, new CustomerErased(Instant.now())));

            awaitUntil(() -> placesHolding(customer, personalData).isEmpty(), Duration.ofSeconds(60),
                    "no table holds the customer's personal data, nor points-service the customer id");
            assertThat(placesHolding(customer, personalData)).isEmpty();
            // The ledger's numbers stay, under a pseudonym.
            assertThat(query("points", "SELECT count(*) FROM points_ledger WHERE customer_id LIKE 'erased-%' AND "
                    + "order_id = ?", orderId)).isEqualTo(1);

            // Later news of the same order: the apology is decided, and nothing is sent to the erased customer.
            kafka.publish(Topics.SHIPMENTS, TestEvents.envelope(customer, new ShipmentDelayed("shp-" + orderId,
                    orderId, LocalDate.now().plusDays(6), "carrier backlog")));
            awaitUntil(() -> outcomes(kafka, customer).contains("SUPPRESSED ERASED"), Duration.ofSeconds(60),
                    "the delay apology suppressed for the erased customer");
            assertThat(mails(email)).hasSize(mailsBefore);

            for (String topic : LocalPlatform.topics()) {
                if (List.of(Topics.ORDERS, Topics.SHIPMENTS, Topics.REVIEWS, Topics.CUSTOMERS).contains(topic)) {
                    continue; // the shop's own topics: what it published, until their retention ends
                }
                for (ConsumerRecord<String, byte[]> record : kafka.readAll(topic)) {
                    StringBuilder text = new StringBuilder(String.valueOf(record.key()))
                            .append(new String(record.value(), StandardCharsets.UTF_8));
                    for (Header header : record.headers()) {
                        text.append(header.key()).append(new String(header.value(), StandardCharsets.UTF_8));
                    }
                    assertThat(text.toString()).as(topic).doesNotContain(personalData);
                }
            }
        }
        for (String service : LocalPlatform.LOCAL_PROCESSES) {
            assertThat(Files.readString(STATE.resolve("logs/" + service + ".log"))).as(service + "'s log")
                    .doesNotContain(personalData);
        }
    }

    @Test
    @Order(3)
    void stopsLeavingNothingRunning() throws Exception {
        outcomesBeforeStop = outcomeIds();
        assertThat(platform.reset()).as("reset refused while running").isEqualTo(1);
        assertThat(platform.stop()).isZero();
        assertThat(platform.status()).as("everything stopped").isEqualTo(3);
        try (Stream<Path> pids = Files.list(STATE.resolve("pids"))) {
            assertThat(pids.count()).isZero();
        }
        for (int port = httpPort; port < managementPort + LocalPlatform.LOCAL_PROCESSES.size(); port++) {
            assertThat(LocalPorts.free(port)).as("port " + port + " released").isTrue();
        }
    }

    @Test
    @Order(4)
    void startsAgainOnTheTopicsItKeptBesideItsDatabases() throws Exception {
        assertThat(platform.start()).isZero();

        assertThat(outcomesBeforeStop).isNotEmpty();
        assertThat(outcomeIds()).containsAll(outcomesBeforeStop);
        PrintStream console = System.out;
        int demo;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            demo = platform.demo();
        } finally {
            System.setOut(console);
        }
        assertThat(demo).as("the demo on kept data").isZero();
        assertThat(platform.stop()).isZero();
    }

    @Test
    @Order(5)
    void resetClearsTheBrokersDataAndTheDatabases() throws Exception {
        assertThat(STATE.resolve("kafka")).isDirectory();
        assertThat(databases()).hasSize(DATABASES.size());

        assertThat(platform.reset()).isZero();

        assertThat(STATE.resolve("kafka")).doesNotExist();
        assertThat(databases()).isEmpty();
    }

    @AfterAll
    static void cleanUp() throws Exception {
        if (platform != null) {
            platform.stop();
        }
        try (var connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres", "postgres",
                ""); var sql = connection.createStatement()) {
            for (String name : DATABASES.values()) {
                sql.execute("DROP DATABASE IF EXISTS " + DB_PREFIX + "_" + name + " WITH (FORCE)");
            }
        }
    }

    /**
     * Every table of every service's database, searched column by column (as text) for each piece of personal data,
     * and points-service's for the customer id too: "database.table holds value" for each hit.
     */
    private static List<String> placesHolding(String customer, List<String> personalData) throws SQLException {
        List<String> places = new ArrayList<>();
        for (String database : DATABASES.values()) {
            List<String> needles = new ArrayList<>(personalData);
            if (database.equals("points")) {
                needles.add(customer);
            }
            try (Connection connection = connect(database)) {
                for (Map.Entry<String, List<String>> table : textColumns(connection).entrySet()) {
                    String sql = "SELECT count(*) FROM \"" + table.getKey() + "\" WHERE position(? in concat_ws("
                            + "' ', " + String.join(", ", table.getValue()) + ")) > 0";
                    try (PreparedStatement search = connection.prepareStatement(sql)) {
                        for (String needle : needles) {
                            search.setString(1, needle);
                            try (ResultSet rows = search.executeQuery()) {
                                rows.next();
                                if (rows.getLong(1) > 0) {
                                    places.add(database + "." + table.getKey() + " holds " + needle);
                                }
                            }
                        }
                    }
                }
            }
        }
        return places;
    }

    /** Each table with its columns as text expressions (bytes read as text, so an outbox payload is searched too). */
    private static Map<String, List<String>> textColumns(Connection connection) throws SQLException {
        Map<String, List<String>> columns = new LinkedHashMap<>();
        try (ResultSet rows = connection.createStatement().executeQuery("""
                SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c
                JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name
                WHERE c.table_schema = 'public' AND t.table_type = 'BASE TABLE'
                ORDER BY c.table_name, c.ordinal_position""")) {
            while (rows.next()) {
                String column = "\"" + rows.getString(2) + "\"";
                columns.computeIfAbsent(rows.getString(1), t -> new ArrayList<>()).add(
                        rows.getString(3).equals("bytea") ? "encode(" + column + ", 'escape')" : column + "::text");
            }
        }
        return columns;
    }

    private static long query(String database, String sql, String parameter) throws SQLException {
        try (Connection connection = connect(database); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                rows.next();
                return rows.getLong(1);
            }
        }
    }

    private static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/" + DB_PREFIX + "_" + database,
                "postgres", "");
    }

    /** The ids of every notification outcome on the topic. */
    private static List<String> outcomeIds() {
        EventDecoder decoder = new EventDecoder();
        try (KafkaTestClient kafka = new KafkaTestClient("127.0.0.1:" + kafkaPort)) {
            return kafka.readAll(Topics.RETENTION_NOTIFICATIONS).stream()
                    .map(r -> decoder.decode(Topics.RETENTION_NOTIFICATIONS, r.key(), r.value(), Map.of()))
                    .filter(DecodeResult.Decoded.class::isInstance)
                    .map(d -> ((DecodeResult.Decoded) d).event().id()).toList();
        }
    }

    /** This test's databases that exist. */
    private static List<String> databases() throws SQLException {
        List<String> names = new ArrayList<>();
        try (Connection connection = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:5432/postgres",
                "postgres", ""); PreparedStatement sql = connection.prepareStatement(
                "SELECT datname FROM pg_database WHERE starts_with(datname, ?)")) {
            sql.setString(1, DB_PREFIX + "_");
            try (ResultSet rows = sql.executeQuery()) {
                while (rows.next()) {
                    names.add(rows.getString(1));
                }
            }
        }
        return names;
    }

    /** "OUTCOME REASON" of every notification outcome published for the customer. */
    private static List<String> outcomes(KafkaTestClient kafka, String customer) {
        EventDecoder decoder = new EventDecoder();
        return kafka.readAll(Topics.RETENTION_NOTIFICATIONS).stream().filter(r -> customer.equals(r.key()))
                .map(r -> decoder.decode(Topics.RETENTION_NOTIFICATIONS, r.key(), r.value(), Map.of()))
                .filter(DecodeResult.Decoded.class::isInstance)
                .map(d -> (NotificationOutcome) ((DecodeResult.Decoded) d).event().data())
                .map(o -> o.outcome() + " " + o.reason()).toList();
    }

    /** The caught mails addressed to a recipient that contains {@code to}. */
    private static List<Path> mails(String to) throws IOException {
        Path dir = STATE.resolve("mail");
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> {
                try {
                    return Files.readString(f).lines().anyMatch(l -> l.startsWith("To: ") && l.contains(to));
                } catch (IOException e) {
                    return false;
                }
            }).toList();
        }
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitUntil(Check check, Duration timeout, String what) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!check.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + timeout + " waiting for " + what + "; logs in "
                        + STATE.resolve("logs").toAbsolutePath());
            }
            Thread.sleep(500);
        }
    }
}
