package dev.retention.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.Tokens;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A programme simulation over 1,000,000 stored orders (issue 32: under 60 s on this machine). points-, tier- and
 * campaign-service run packaged, each on its own database, with programme-service in front; the history is written
 * straight into their tables with {@code generate_series} (orders with lines and categories over 90 days, 200,000
 * customers, a tier per customer, a trigger per ten orders), because feeding a million orders through Kafka would
 * measure the live path, not the simulation. Then one draft (a double-points window, a category rule, other
 * multipliers) is simulated over the 90 days through programme-service's API, twice (the first run includes the
 * services' JIT warm-up).
 *
 * <p>Reported: the simulation's wall time and orders per second; the CPU each service and PostgreSQL spent per 1,000
 * orders; and the ratio to the raw read: the same rows streamed by a plain JDBC cursor in the same run, the least any
 * simulation that reads its history must pay.
 *
 * <p>Run: {@code ./mvnw -B -Pbenchmark -pl system-tests -am verify -DskipTests
 * -Dbenchmark.main=dev.retention.bench.SimulationBenchmark} (options {@code --orders=1000000}).
 */
public final class SimulationBenchmark {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final List<String> SIMULATING = List.of("points-service", "tier-service", "campaign-service");

    public static void main(String[] args) throws Exception {
        Map<String, String> options = Benchmarks.options(args);
        Path root = Path.of(options.getOrDefault("root", ".")).toAbsolutePath().normalize();
        int orders = Integer.parseInt(options.getOrDefault("orders", "1000000"));
        int customers = Math.max(1, orders / 5);
        Instant to = Instant.now().truncatedTo(ChronoUnit.DAYS);
        Instant from = to.minus(Duration.ofDays(90));
        Map<String, TestDatabase> databases = new LinkedHashMap<>();
        Map<String, ServiceProcess> services = new LinkedHashMap<>();
        try (KafkaBroker broker = KafkaBroker.builder().maxHeap("256m").build().start()) {
            try (KafkaTestClient admin = new KafkaTestClient(broker.bootstrapServers())) {
                admin.admin().createTopics(List.of(dev.retention.local.LocalPlatform.programmeTopic())).all()
                        .get(30, TimeUnit.SECONDS);
            }
            Map<String, Integer> ports = new LinkedHashMap<>();
            for (String service : SIMULATING) {
                ports.put(service, ServiceProcess.freePort());
            }
            for (String service : List.of("points-service", "tier-service", "campaign-service", "programme-service")) {
                TestDatabase database = TestDatabase.create("bench_simulation");
                databases.put(service, database);
                Map<String, String> settings = new LinkedHashMap<>();
                if (ports.containsKey(service)) {
                    settings.put("HTTP_PORT", Integer.toString(ports.get(service)));
                } else {
                    settings.put("POINTS_SERVICE_URL", "http://localhost:" + ports.get("points-service"));
                    settings.put("TIER_SERVICE_URL", "http://localhost:" + ports.get("tier-service"));
                    settings.put("CAMPAIGN_SERVICE_URL", "http://localhost:" + ports.get("campaign-service"));
                }
                services.put(service, ServiceProcess.start(root, service, "simulation-bench",
                        ServiceProcess.jvmOptions("512m"), broker, database, settings));
            }
            Benchmarks.log("services ready; loading %,d orders of %,d customers", orders, customers);
            load(databases, orders, customers, from, to);

            double rawSeconds = rawRead(databases, from, to);
            Benchmarks.log("raw JDBC read of the same rows: %.1f s", rawSeconds);

            Tokens tokens = Tokens.in(root.resolve("system-tests/target/bench-jwt"), "http://localhost/retention-bench");
            String token = tokens.token("bench-marketer", List.of("marketer"));
            int programme = services.get("programme-service").port();
            String draftId = createDraft(programme, token, from);
            List<Run> runs = new ArrayList<>();
            for (int attempt = 1; attempt <= 2; attempt++) {
                runs.add(simulate(programme, token, draftId, from, to, services));
                Benchmarks.log("simulation %d: %.1f s", attempt, runs.get(runs.size() - 1).seconds());
            }
            Benchmarks.publish(root, "simulation-benchmark.md", report(orders, customers, rawSeconds, runs));
        } finally {
            for (ServiceProcess service : services.values()) {
                service.close();
            }
            for (TestDatabase database : databases.values()) {
                database.close();
            }
        }
        System.exit(0);
    }

    /** One simulation: its wall time, the CPU ticks of each service and of PostgreSQL, and its answer. */
    record Run(double seconds, Map<String, Long> ticks, JsonNode answer) {
    }

    private static void load(Map<String, TestDatabase> databases, int orders, int customers, Instant from, Instant to)
            throws Exception {
        long spanSeconds = Duration.between(from, to).toSeconds();
        // Order g: customer g mod customers, placed at an even spread over the period; one to three lines of tea
        // (12.50 each), every other order a kettle (39.90): the earning facts as points-service writes them.
        String placedAt = "timestamptz '" + from + "' + make_interval(secs => (g::bigint * " + spanSeconds + ") / "
                + orders + ")";
        String value = "(12.50 * (1 + g % 3) + CASE WHEN g % 2 = 0 THEN 39.90 ELSE 0 END)";
        try (Connection connection = databases.get("points-service").connect();
             Statement sql = connection.createStatement()) {
            long started = System.nanoTime();
            sql.execute("INSERT INTO points_order (order_id, customer_id, placed, currency, merchandise_value, earned, "
                    + "placed_at, earning_base, earning_tier, rule_points, earning_facts) "
                    + "SELECT 'o-' || g, 'c-' || (g % " + customers + "), true, 'EUR', " + value + ", floor(" + value
                    + ")::bigint, " + placedAt + ", " + value + ", 'bronze', 0, "
                    + "'{\"c\":\"' || CASE WHEN g % 3 = 0 THEN 'app' ELSE 'web' END || '\",\"t\":\"bronze\",\"f\":'"
                    + " || (g < " + customers + ")::text || ',\"l\":[[\"tea-' || g % 7 || '\",\"tea\",\"' || "
                    + "(12.50 * (1 + g % 3))::text || '\"]' || CASE WHEN g % 2 = 0 THEN "
                    + "',[\"kettle\",\"kitchen\",\"39.90\"]' ELSE '' END || ']}' "
                    + "FROM generate_series(1, " + orders + ") g");
            sql.execute("ANALYZE points_order");
            Benchmarks.log("points_order: %,d rows in %.1f s", orders, (System.nanoTime() - started) / 1e9);
        }
        try (Connection connection = databases.get("tier-service").connect();
             Statement sql = connection.createStatement()) {
            long started = System.nanoTime();
            sql.execute("INSERT INTO tier_status (customer_id, tier, since) SELECT 'c-' || c, 'bronze', timestamptz '"
                    + from + "' FROM generate_series(0, " + (customers - 1) + ") c");
            sql.execute("INSERT INTO tier_order (order_id, customer_id, placed, placed_at, value) "
                    + "SELECT 'o-' || g, 'c-' || (g % " + customers + "), true, " + placedAt + ", " + value
                    + " FROM generate_series(1, " + orders + ") g");
            sql.execute("ANALYZE tier_status; ANALYZE tier_order");
            Benchmarks.log("tier_order: %,d rows in %.1f s", orders, (System.nanoTime() - started) / 1e9);
        }
        try (Connection connection = databases.get("campaign-service").connect();
             Statement sql = connection.createStatement()) {
            long started = System.nanoTime();
            int triggers = orders / 10;
            String firedAt = "timestamptz '" + from + "' + make_interval(secs => (g::bigint * " + spanSeconds + ") / "
                    + triggers + ")";
            sql.execute("INSERT INTO trigger_log (trigger_id, trigger_type, dedupe_key, customer_id, marketing, "
                    + "outcome, reason, source_event_id, order_id, fired_at, business_time, voucher_currency, "
                    + "batch_position) SELECT gen_random_uuid(), CASE WHEN g % 2 = 0 THEN 'delay-apology' ELSE "
                    + "'referral-invitation' END, 'k-' || g, 'c-' || (g % " + customers + "), g % 2 = 1, 'FIRED', "
                    + "'benchmark', 'e-' || g, 'o-' || (g * 10), " + firedAt + ", " + firedAt + ", 'EUR', 0 "
                    + "FROM generate_series(1, " + triggers + ") g");
            sql.execute("ANALYZE trigger_log");
            Benchmarks.log("trigger_log: %,d rows in %.1f s", triggers, (System.nanoTime() - started) / 1e9);
        }
    }

    /** The rows the simulation reads, streamed by plain JDBC cursors, one service after the other. */
    private static double rawRead(Map<String, TestDatabase> databases, Instant from, Instant to) throws Exception {
        Map<String, String> queries = Map.of(
                "points-service", "SELECT customer_id, placed_at, order_id, currency, merchandise_value, earning_tier, "
                        + "earned, earning_facts FROM points_order WHERE placed AND placed_at >= '" + from
                        + "' AND placed_at < '" + to + "' ORDER BY customer_id, placed_at, order_id",
                "tier-service", "SELECT s.customer_id, s.tier, o.order_id, o.placed_at, o.value, o.refunded, "
                        + "o.cancelled FROM tier_status s LEFT JOIN tier_order o ON o.customer_id = s.customer_id "
                        + "AND o.placed ORDER BY s.customer_id, o.placed_at, o.order_id",
                "campaign-service", "SELECT * FROM trigger_log ORDER BY business_time, trigger_id");
        long started = System.nanoTime();
        for (String service : SIMULATING) {
            try (Connection connection = databases.get(service).connect()) {
                connection.setAutoCommit(false);
                try (Statement sql = connection.createStatement()) {
                    sql.setFetchSize(5_000);
                    long rows = 0;
                    try (ResultSet result = sql.executeQuery(queries.get(service))) {
                        int columns = result.getMetaData().getColumnCount();
                        while (result.next()) {
                            for (int i = 1; i <= columns; i++) {
                                result.getString(i);
                            }
                            rows++;
                        }
                    }
                    Benchmarks.log("raw read, %s: %,d rows", service, rows);
                }
                connection.commit();
            }
        }
        return (System.nanoTime() - started) / 1e9;
    }

    private static String createDraft(int port, String token, Instant from) throws Exception {
        ObjectNode document = (ObjectNode) ProgrammeJson.initialTree().deepCopy();
        ArrayNode rules = (ArrayNode) document.path("earning").path("rules");
        ObjectNode weekend = rules.addObject().put("id", "double-points").put("name", "Double points");
        weekend.putObject("when").putObject("window").put("from", from.plus(Duration.ofDays(30)).toString())
                .put("until", from.plus(Duration.ofDays(33)).toString());
        weekend.putObject("effect").put("type", "MULTIPLIER").put("value", "2");
        ObjectNode tea = rules.addObject().put("id", "tea-bonus").put("name", "Tea lovers");
        tea.putObject("when").putArray("categories").add("tea");
        tea.putObject("effect").put("type", "POINTS_PER_UNIT").put("value", "1");
        tea.putObject("caps").put("perCustomer", 200).put("period", "MONTH");
        ObjectNode draft = JSON.createObjectNode().put("note", "benchmark");
        draft.set("document", document);
        HttpResponse<String> created = send(port, "POST", "/programmes/default/drafts", token,
                JSON.writeValueAsString(draft));
        if (created.statusCode() != 201) {
            throw new IllegalStateException("draft: " + created.statusCode() + " " + created.body());
        }
        return JSON.readTree(created.body()).path("id").asText();
    }

    private static Run simulate(int port, String token, String draftId, Instant from, Instant to,
                                Map<String, ServiceProcess> services) throws Exception {
        Map<String, Long> before = ticks(services);
        long started = System.nanoTime();
        HttpResponse<String> answer = send(port, "POST", "/drafts/" + draftId + "/simulations", token,
                "{\"from\":\"" + from + "\",\"to\":\"" + to + "\"}");
        double seconds = (System.nanoTime() - started) / 1e9;
        if (answer.statusCode() != 200) {
            throw new IllegalStateException("simulation: " + answer.statusCode() + " " + answer.body());
        }
        Map<String, Long> after = ticks(services);
        Map<String, Long> spent = new LinkedHashMap<>();
        after.forEach((name, ticks) -> spent.put(name, ticks - before.get(name)));
        return new Run(seconds, spent, JSON.readTree(answer.body()));
    }

    private static Map<String, Long> ticks(Map<String, ServiceProcess> services) throws Exception {
        Map<String, Long> ticks = new LinkedHashMap<>();
        for (ServiceProcess service : services.values()) {
            ticks.put(service.name(), Benchmarks.cpuTicks(service.pid()));
        }
        ticks.put("PostgreSQL", Benchmarks.postgresTicks());
        return ticks;
    }

    private static HttpResponse<String> send(int port, String method, String path, String token, String body)
            throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofMinutes(5))
                .header("Authorization", "Bearer " + token).header("Content-Type", "application/json")
                .method(method, HttpRequest.BodyPublishers.ofString(body)).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static String report(int orders, int customers, double rawSeconds, List<Run> runs) {
        StringBuilder report = new StringBuilder();
        report.append("# Programme simulation benchmark\n\n");
        report.append(String.format(Locale.ROOT, "%,d orders of %,d customers over 90 days, %,d triggers; a draft "
                + "with a double-points window, a capped category rule; services at 512 MiB heap, serial GC.%n%n",
                orders, customers, orders / 10));
        report.append("| run | wall s | orders/s | ratio to the raw read | CPU ms per 1,000 orders |\n");
        report.append("|---|---|---|---|---|\n");
        for (int i = 0; i < runs.size(); i++) {
            Run run = runs.get(i);
            StringBuilder cpu = new StringBuilder();
            run.ticks().forEach((name, ticks) -> cpu.append(name).append(' ')
                    .append(String.format(Locale.ROOT, "%.1f", ticks * 10.0 * 1000 / orders)).append("; "));
            report.append(String.format(Locale.ROOT, "| %d | %.1f | %,.0f | %.2f | %s |%n", i + 1, run.seconds(),
                    orders / run.seconds(), run.seconds() / rawSeconds, cpu.toString().replaceAll("; $", "")));
        }
        report.append(String.format(Locale.ROOT, "%nRaw read (the same rows through plain JDBC cursors, one service "
                + "after the other): %.1f s.%n", rawSeconds));
        JsonNode last = runs.get(runs.size() - 1).answer();
        report.append(String.format(Locale.ROOT, "%nAnswer: %,d orders, points issued in force %,d, draft %,d; "
                        + "%,d customers affected; tiers: %s; triggers %,d.%n",
                last.at("/points/orders").asLong(), last.at("/points/inForce/issued").asLong(),
                last.at("/points/draft/issued").asLong(), last.at("/points/customersAffected").asLong(),
                last.at("/tiers/draft/distribution"), last.at("/campaigns/triggers").asLong()));
        return report.toString();
    }
}
