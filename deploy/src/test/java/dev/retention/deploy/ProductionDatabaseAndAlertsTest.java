package dev.retention.deploy;

import static dev.retention.deploy.DeployManifestsTest.render;
import static dev.retention.deploy.Rendered.labels;
import static dev.retention.deploy.Rendered.list;
import static dev.retention.deploy.Rendered.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What an operator signs off before production (issue 37) for the database and the alerts: TLS to PostgreSQL with
 * the server verified, a network policy in front of it, point-in-time recovery from object storage, a connection
 * budget under PostgreSQL's limit, a quarter of the memory as shared buffers, and alerts that can fire.
 */
class ProductionDatabaseAndAlertsTest {

    private static final String CLUSTER = "retention-db";
    private static final Map<String, String> INSTANCE_PODS = Map.of("cnpg.io/cluster", CLUSTER, "cnpg.io/podRole", "instance");
    private static final Map<String, String> SERVICE_PODS = Map.of("app.kubernetes.io/component", "service",
            "app.kubernetes.io/part-of", "retention-platform");
    private static final String BARMAN_PLUGIN = "barman-cloud.cloudnative-pg.io";
    private static final Pattern AGGREGATION = Pattern.compile("\\b(?:sum|max|min|avg|count) by \\(([^)]*)\\)");

    // --- 2. Database TLS and network policy --------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void postgresRefusesConnectionsWithoutTls(String overlay) {
        List<String> rules = list(cluster(render(overlay)).path("postgresql").path("pg_hba")).stream()
                .map(r -> r.asText().trim().replaceAll("\\s+", " ")).collect(Collectors.toList());

        assertThat(rules).as("the first rule after CloudNativePG's own refuses plain connections")
                .startsWith("hostnossl all all all reject");
        assertThat(rules.subList(1, rules.size())).allSatisfy(rule -> assertThat(rule).startsWith("hostssl "));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyServiceVerifiesTheDatabaseServerAgainstTheClustersCa(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode cluster = cluster(rendered);
        Set<String> serverNames = new HashSet<>(List.of(CLUSTER + "-rw", CLUSTER + "-r", CLUSTER + "-ro"));
        cluster.path("certificates").path("serverAltDNSNames").forEach(n -> serverNames.add(n.asText()));
        for (JsonNode deployment : services(rendered)) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = pod.path("containers").get(0);
            Map<String, String> environment = rendered.environment(container);
            assertThat(environment).as(name(deployment)).containsEntry("DB_SSL_MODE", "verify-full")
                    .containsEntry("DB_SSL_TRUST_ROOT_CERT", "true");
            // The names the clients connect to are in the server's certificate (verify-full checks them).
            assertThat(serverNames).as("%s: the certificate names its hosts", name(deployment))
                    .contains(environment.get("DB_HOST"), environment.get("DB_MIGRATION_HOST"));
            String rootCert = environment.get("DB_SSL_ROOT_CERT");
            JsonNode mount = list(container.path("volumeMounts")).stream()
                    .filter(m -> rootCert.startsWith(m.path("mountPath").asText() + "/")).findFirst()
                    .orElseThrow(() -> new AssertionError(name(deployment) + ": nothing mounted at " + rootCert));
            JsonNode volume = list(pod.path("volumes")).stream()
                    .filter(v -> v.path("name").asText().equals(mount.path("name").asText())).findFirst().orElseThrow();
            assertThat(volume.path("secret").path("secretName").asText()).isEqualTo(CLUSTER + "-ca");
            assertThat(list(volume.path("secret").path("items"))).as("only the CA's certificate, not its key")
                    .extracting(i -> i.path("key").asText() + "->" + mount.path("mountPath").asText() + "/" + i.path("path").asText())
                    .containsExactly("ca.crt->" + rootCert);
        }
    }

    @Test
    void everyServiceTakesItsDatabaseTlsFromTheEnvironmentWithoutTlsByDefault() {
        for (String service : Repository.SERVICES) {
            Map<String, String> p = new LinkedHashMap<>();
            Repository.service(service).properties().forEach((k, v) -> p.put(k.toString(), v.toString()));
            assertThat(p.get("quarkus.datasource.reactive.postgresql.ssl-mode")).as(service).isEqualTo("${DB_SSL_MODE:disable}");
            assertThat(p.get("quarkus.datasource.reactive.trust-certificate-pem")).as(service)
                    .isEqualTo("${DB_SSL_TRUST_ROOT_CERT:false}");
            assertThat(p.get("quarkus.datasource.reactive.trust-certificate-pem.certs")).as(service)
                    .isEqualTo("${DB_SSL_ROOT_CERT:}");
            assertThat(p.get("quarkus.datasource.reactive.hostname-verification-algorithm")).as(service).isEqualTo("HTTPS");
            assertThat(p.get("quarkus.datasource.jdbc.url")).as(service)
                    .startsWith("jdbc:postgresql://${DB_MIGRATION_HOST:${DB_HOST:127.0.0.1}}:")
                    .contains("sslmode=${DB_SSL_MODE:disable}").contains("sslrootcert=${DB_SSL_ROOT_CERT:}");
        }
        String connections = section(Repository.read("docs/configuration.md"), "## Connections");
        for (String variable : List.of("DB_SSL_MODE", "DB_SSL_ROOT_CERT", "DB_SSL_TRUST_ROOT_CERT", "DB_MIGRATION_HOST")) {
            assertThat(connections).as("docs/configuration.md, Connections").contains("| `" + variable + "` |");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyTheServicesThePoolerTheOperatorAndTheInstancesReachPostgres(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, String> poolerPods = Map.of("cnpg.io/poolerName", pooler(rendered).path("metadata").path("name").asText());

        Set<String> toInstances = peersOf(rendered, INSTANCE_PODS, 5432);
        assertThat(toInstances).containsExactlyInAnyOrder(pods(poolerPods), pods(SERVICE_PODS), pods(INSTANCE_PODS),
                "namespace cnpg-system");
        assertThat(peersOf(rendered, INSTANCE_PODS, 9187)).containsExactly("namespace monitoring");
        assertThat(peersOf(rendered, poolerPods, 5432)).containsExactly(pods(SERVICE_PODS));
    }

    private static String pods(Map<String, String> labels) {
        return "pods " + new TreeMap<>(labels);
    }

    /** Who the NetworkPolicies selecting these pods admit on a port; "anyone" for a rule without a peer. */
    private static Set<String> peersOf(Rendered rendered, Map<String, String> podLabels, int port) {
        Set<String> peers = new TreeSet<>();
        boolean selected = false;
        for (JsonNode policy : rendered.ofKind("NetworkPolicy")) {
            Map<String, String> selector = labels(policy.path("spec").path("podSelector").path("matchLabels"));
            if (!podLabels.entrySet().containsAll(selector.entrySet())
                    || policy.path("spec").path("podSelector").has("matchExpressions")) {
                continue;
            }
            selected = true;
            for (JsonNode rule : policy.path("spec").path("ingress")) {
                boolean admitsPort = !rule.has("ports") || list(rule.path("ports")).stream()
                        .anyMatch(p -> p.path("port").asText().equals(String.valueOf(port)));
                if (!admitsPort) {
                    continue;
                }
                if (!rule.has("from") || rule.path("from").isEmpty()) {
                    peers.add("anyone");
                }
                for (JsonNode from : rule.path("from")) {
                    if (from.has("namespaceSelector")) {
                        String namespace = from.path("namespaceSelector").path("matchLabels")
                                .path("kubernetes.io/metadata.name").asText("any namespace");
                        peers.add(from.has("podSelector") ? "pods " + labels(from.path("podSelector").path("matchLabels"))
                                + " in " + namespace : "namespace " + namespace);
                    } else if (from.has("ipBlock")) {
                        peers.add("addresses " + from.path("ipBlock").path("cidr").asText());
                    } else {
                        peers.add("pods " + labels(from.path("podSelector").path("matchLabels")));
                    }
                }
            }
        }
        assertThat(selected).as("a NetworkPolicy selects %s", podLabels).isTrue();
        return peers;
    }

    // --- 3. Backups with point-in-time recovery --------------------------------------------------------------

    @Test
    void productionArchivesWalToObjectStorageAndBacksUpWithThePlugin() {
        Rendered production = render("production");
        JsonNode cluster = cluster(production);
        JsonNode plugin = list(cluster.path("plugins")).stream()
                .filter(p -> p.path("name").asText().equals(BARMAN_PLUGIN)).findFirst()
                .orElseThrow(() -> new AssertionError("the Cluster uses no Barman Cloud plugin"));
        assertThat(plugin.path("isWALArchiver").asBoolean()).as("the plugin archives the WAL").isTrue();
        JsonNode store = production.get("ObjectStore", plugin.path("parameters").path("barmanObjectName").asText());
        assertThat(cluster.path("backup").path("volumeSnapshot").isMissingNode()).as("no snapshot-only backup").isTrue();

        Matcher retention = Pattern.compile("(\\d+)d").matcher(store.path("spec").path("retentionPolicy").asText());
        assertThat(retention.matches()).as("a recovery window in days").isTrue();
        assertThat(Integer.parseInt(retention.group(1))).isBetween(7, 90);
        assertThat(store.path("spec").path("configuration").path("destinationPath").asText()).matches("(s3|gs|https)://.+");

        assertThat(production.ofKind("ScheduledBackup")).isNotEmpty().allSatisfy(backup -> {
            assertThat(backup.path("spec").path("method").asText()).isEqualTo("plugin");
            assertThat(backup.path("spec").path("pluginConfiguration").path("name").asText()).isEqualTo(BARMAN_PLUGIN);
            assertThat(backup.path("spec").path("cluster").path("name").asText()).isEqualTo(CLUSTER);
        });

        // The credentials are a Secret the operator creates from the runbook's table, with the keys read here.
        Map<String, Set<String>> secrets = Repository.operatorSecrets();
        store.path("spec").path("configuration").path("s3Credentials").forEach(ref ->
                assertThat(secrets.getOrDefault(ref.path("name").asText(), Set.of())).as("docs/runbook.md, Secrets: %s", ref)
                        .contains(ref.path("key").asText()));
    }

    @Test
    void aStaleOrFailedBackupRaisesAnAlert() {
        Map<String, String> alerts = alerts(render("production"));
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr)
                .contains("time() - max by (namespace) (barman_cloud_cloudnative_pg_io_last_available_backup_timestamp")
                .contains("absent(barman_cloud_cloudnative_pg_io_last_available_backup_timestamp"));
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr)
                .contains("barman_cloud_cloudnative_pg_io_last_failed_backup_timestamp"));
        assertThat(alerts.values()).anySatisfy(expr -> assertThat(expr).contains("cnpg_pg_stat_archiver_seconds_since_last_archival"));
    }

    @Test
    void theRunbookRestoresToAPointInTimeAndRewindsTheConsumers() {
        String section = section(Repository.read("docs/runbook.md"), "## Restore the database to a point in time");
        assertThat(section).contains("bootstrap:", "recovery:", "recoveryTarget:", "targetTime:", "barmanObjectName:",
                BARMAN_PLUGIN, "--reset-offsets", "--to-datetime", "inbox");
        assertThat(section(Repository.read("docs/deployment.md"), "## Database")).contains("Barman Cloud", "ObjectStore",
                "retentionPolicy");
    }

    // --- 4. Connections and memory -----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theServicesConnectionsAtTheirMaximumFitThePoolerAndThePoolerFitsPostgres(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode pooler = pooler(rendered);
        JsonNode parameters = pooler.path("spec").path("pgbouncer").path("parameters");
        String poolerService = name(pooler);
        int maxClientConnections = parameters.path("max_client_conn").asInt();
        int serverPoolSize = parameters.path("default_pool_size").asInt() + parameters.path("reserve_pool_size").asInt(0);
        assertThat(pooler.path("spec").path("pgbouncer").path("poolMode").asText()).isEqualTo("transaction");
        // Protocol-level prepared statements of the reactive client survive transaction pooling only with this.
        assertThat(parameters.path("max_prepared_statements").asInt()).isPositive();

        int clients = 0;
        int flyway = 0;
        Set<String> databases = new HashSet<>();
        for (JsonNode deployment : services(rendered)) {
            Map<String, String> environment = rendered.environment(deployment.path("spec").path("template").path("spec")
                    .path("containers").get(0));
            Repository.Service service = Repository.service(name(deployment));
            int replicas = maxReplicas(rendered, deployment) + maxSurge(deployment);
            int pool = Integer.parseInt(environment.getOrDefault("DB_POOL_SIZE",
                    defaultOf(service.properties().getProperty("quarkus.datasource.reactive.max-size"))));
            int jdbc = Integer.parseInt(service.properties().getProperty("quarkus.datasource.jdbc.max-size"));
            assertThat(environment.get("DB_HOST")).as(name(deployment)).isEqualTo(poolerService);
            clients += replicas * pool;
            flyway += replicas * jdbc;
            databases.add(environment.get("DB_NAME"));
        }
        // Every client might land on one PgBouncer instance.
        assertThat(clients).as("client connections at the maximum replicas and a rollout's surge")
                .isLessThanOrEqualTo(maxClientConnections);
        int serverConnections = pooler.path("spec").path("instances").asInt(1) * databases.size() * serverPoolSize;
        int maxConnections = cluster(rendered).path("postgresql").path("parameters").path("max_connections").asInt();
        assertThat(serverConnections + flyway).as("PostgreSQL connections of the pooler (%d) and Flyway (%d)",
                serverConnections, flyway).isLessThanOrEqualTo(maxConnections * 80 / 100);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void sharedBuffersAreAQuarterOfPostgresMemory(String overlay) {
        JsonNode cluster = cluster(render(overlay));
        long limit = bytes(cluster.path("resources").path("limits").path("memory").asText());
        long sharedBuffers = bytes(cluster.path("postgresql").path("parameters").path("shared_buffers").asText());
        assertThat((double) sharedBuffers / limit).as("shared_buffers / memory limit").isBetween(0.2, 0.3);
    }

    // --- 8. Alerts that can fire ------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theBrokersExportTheirMetricsAndPartitionProblemsAlert(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode kafka = rendered.ofKind("Kafka").get(0).path("spec").path("kafka");
        JsonNode metrics = kafka.path("metricsConfig");
        assertThat(metrics.path("type").asText()).isEqualTo("jmxPrometheusExporter");
        JsonNode ref = metrics.path("valueFrom").path("configMapKeyRef");
        String exporterConfig = rendered.configMapDeclaredAs(ref.path("name").asText()).orElseThrow()
                .path("data").path(ref.path("key").asText()).asText();
        Map<String, String> alerts = alerts(rendered);
        for (String metric : List.of("kafka_server_replicamanager_underreplicatedpartitions",
                "kafka_controller_kafkacontroller_offlinepartitionscount", "kafka_controller_kafkacontroller_activecontrollercount")) {
            assertThat(exporterConfig).as("the exporter names %s", metric).contains("name: " + metric);
            assertThat(alerts.values()).as("an alert on %s", metric).anySatisfy(expr -> assertThat(expr).contains(metric));
        }
        assertThat(rendered.ofKind("PodMonitor")).as("Prometheus scrapes the brokers").anySatisfy(monitor -> {
            assertThat(labels(monitor.path("spec").path("selector").path("matchLabels")))
                    .containsEntry("strimzi.io/kind", "Kafka").doesNotContainKey("strimzi.io/name");
            assertThat(monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("tcp-prometheus");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theDatabaseIsScrapedAndItsReplicationLagAlerts(String overlay) {
        Rendered rendered = render(overlay);
        assertThat(rendered.ofKind("PodMonitor")).anySatisfy(monitor -> {
            assertThat(labels(monitor.path("spec").path("selector").path("matchLabels"))).containsAllEntriesOf(INSTANCE_PODS);
            assertThat(monitor.path("spec").path("podMetricsEndpoints").get(0).path("port").asText()).isEqualTo("metrics");
        });
        assertThat(alerts(rendered).values()).anySatisfy(expr -> assertThat(expr).contains("cnpg_pg_replication_lag"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyDownAlertAlsoFiresWhenThereIsNothingToScrape(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, String> alerts = alerts(rendered);
        List<String> checked = new ArrayList<>();
        alerts.forEach((alert, expr) -> {
            Matcher up = Pattern.compile("\\bup\\{job=~\"([^\"]+)\"}").matcher(expr);
            while (up.find()) {
                String selector = up.group(1);
                for (JsonNode deployment : rendered.ofKind("Deployment")) {
                    if (name(deployment).matches(selector)) {
                        assertThat(expr).as("%s fires without a target of %s", alert, name(deployment))
                                .contains("absent(up{job=\"" + name(deployment) + "\"})");
                        checked.add(name(deployment));
                    }
                }
            }
            if (expr.contains("cnpg_collector_up")) {
                assertThat(expr).as(alert).contains("absent(cnpg_collector_up");
                checked.add(CLUSTER);
            }
        });
        assertThat(checked).contains("points-service", "console", CLUSTER);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyAlertAggregatesPerNamespaceAndLinksItsRunbookSection(String overlay) {
        Rendered rendered = render(overlay);
        for (JsonNode rule : rules(rendered)) {
            String alert = rule.path("alert").asText();
            Matcher by = AGGREGATION.matcher(rule.path("expr").asText());
            while (by.find()) {
                assertThat(by.group(1).split(",\\s*")).as("%s: by (%s)", alert, by.group(1))
                        .containsAnyOf("namespace", "resource_namespace");
            }
            assertThat(rule.path("annotations").has("runbook")).as(alert).isFalse();
            String link = rule.path("annotations").path("runbook_url").asText();
            assertThat(link).as(alert).matches("https://.+/docs/runbook\\.md#[a-z0-9-]+");
            String anchor = link.substring(link.indexOf('#') + 1);
            assertThat(Repository.read("docs/runbook.md")).as("%s: runbook section %s", alert, anchor)
                    .containsPattern("(?mi)^## " + Pattern.quote(anchor.replace('-', ' ')) + "\\s*$");
        }
    }

    @Test
    void anExpiringKafkaCertificateAlertsAndItsMetricIsScraped() {
        Rendered production = render("production");
        assertThat(alerts(production).values()).anySatisfy(expr -> assertThat(expr)
                .contains("strimzi_certificate_expiration_timestamp_ms").contains("time()"));
        assertThat(production.ofKind("PodMonitor")).anySatisfy(monitor -> assertThat(
                labels(monitor.path("spec").path("selector").path("matchLabels"))).containsEntry("strimzi.io/kind",
                "cluster-operator"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theKafkaExporterAndStrimzisOperatorsHaveResources(String overlay) {
        JsonNode kafka = render(overlay).ofKind("Kafka").get(0).path("spec");
        for (JsonNode component : List.of(kafka.path("kafkaExporter"), kafka.path("entityOperator").path("topicOperator"),
                kafka.path("entityOperator").path("userOperator"))) {
            assertThat(component.path("resources").path("requests").path("memory").asText()).isNotEmpty();
            assertThat(component.path("resources").path("limits").path("memory").asText()).isNotEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void kafkaAndPostgresOutrankTheServicesWhichOutrankTheRest(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, Integer> priorities = new LinkedHashMap<>();
        rendered.ofKind("PriorityClass").forEach(p -> priorities.put(name(p), p.path("value").asInt()));
        String critical = cluster(rendered).path("priorityClassName").asText();
        String kafka = rendered.ofKind("Kafka").get(0).path("spec").path("kafka").path("template").path("pod")
                .path("priorityClassName").asText();
        String pooler = pooler(rendered).path("spec").path("template").path("spec").path("priorityClassName").asText();
        assertThat(priorities).containsKeys(critical, kafka, pooler);
        assertThat(List.of(kafka, pooler)).containsOnly(critical);
        for (JsonNode deployment : services(rendered)) {
            String service = deployment.path("spec").path("template").path("spec").path("priorityClassName").asText();
            assertThat(priorities).as(name(deployment)).containsKey(service);
            assertThat(priorities.get(service)).as(name(deployment)).isPositive().isLessThan(priorities.get(critical));
        }
        assertThat(rendered.ofKind("PriorityClass")).allSatisfy(p -> assertThat(p.path("globalDefault").asBoolean()).isFalse());
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void thePostgresImageIsPinnedToAnExactRelease(String overlay) {
        assertThat(cluster(render(overlay)).path("imageName").asText())
                .matches("ghcr\\.io/cloudnative-pg/postgresql:\\d+\\.\\d+-[a-z0-9-]+(@sha256:[0-9a-f]{64})?");
    }

    // --- 9. The bootstrap's database ----------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theBootstrapCreatesNoUnusedAppDatabase(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode initdb = cluster(rendered).path("bootstrap").path("initdb");
        String database = initdb.path("database").asText("app");
        assertThat(database).as("CloudNativePG's default application database, which no service uses").isNotEqualTo("app");
        assertThat(initdb.path("owner").asText("app")).isNotEqualTo("app");
        Set<String> serviceDatabases = rendered.ofKind("Database").stream().map(d -> d.path("spec").path("name").asText())
                .collect(Collectors.toSet());
        assertThat(serviceDatabases).doesNotContain(database);
        assertThat(section(Repository.read("docs/deployment.md"), "## Database")).as("what it is for")
                .contains("`" + database + "`");
    }

    // --- helpers ------------------------------------------------------------------------------------------------

    private static JsonNode cluster(Rendered rendered) {
        return rendered.get("Cluster", CLUSTER).path("spec");
    }

    private static JsonNode pooler(Rendered rendered) {
        List<JsonNode> poolers = rendered.ofKind("Pooler").stream()
                .filter(p -> p.path("spec").path("cluster").path("name").asText().equals(CLUSTER)
                        && p.path("spec").path("type").asText("rw").equals("rw"))
                .collect(Collectors.toList());
        assertThat(poolers).as("a read-write Pooler of %s", CLUSTER).hasSize(1);
        return poolers.get(0);
    }

    private static List<JsonNode> services(Rendered rendered) {
        List<JsonNode> services = rendered.ofKind("Deployment").stream()
                .filter(d -> Repository.SERVICES.contains(name(d))).collect(Collectors.toList());
        assertThat(services).hasSize(Repository.SERVICES.size());
        return services;
    }

    private static int maxReplicas(Rendered rendered, JsonNode deployment) {
        Optional<JsonNode> scaler = rendered.ofKind("ScaledObject").stream()
                .filter(s -> s.path("spec").path("scaleTargetRef").path("name").asText().equals(name(deployment))).findFirst();
        return scaler.map(s -> s.path("spec").path("maxReplicaCount").asInt(100))
                .orElseGet(() -> deployment.path("spec").path("replicas").asInt(1));
    }

    private static int maxSurge(JsonNode deployment) {
        JsonNode surge = deployment.path("spec").path("strategy").path("rollingUpdate").path("maxSurge");
        assertThat(surge.isInt()).as("%s: maxSurge as a number of pods", name(deployment)).isTrue();
        return surge.asInt();
    }

    private static String defaultOf(String placeholder) {
        Matcher m = Pattern.compile("\\$\\{[A-Z_]+:(\\d+)}").matcher(placeholder);
        return m.matches() ? m.group(1) : placeholder;
    }

    private static long bytes(String quantity) {
        Matcher m = Pattern.compile("(\\d+)(Ki|Mi|Gi|kB|MB|GB)").matcher(quantity);
        assertThat(m.matches()).as("a size: %s", quantity).isTrue();
        long unit = switch (m.group(2)) {
            case "Ki", "kB" -> 1L << 10;
            case "Mi", "MB" -> 1L << 20;
            default -> 1L << 30;
        };
        return Long.parseLong(m.group(1)) * unit;
    }

    private static List<JsonNode> rules(Rendered rendered) {
        List<JsonNode> rules = new ArrayList<>();
        rendered.ofKind("PrometheusRule").forEach(r -> r.path("spec").path("groups")
                .forEach(g -> g.path("rules").forEach(rules::add)));
        assertThat(rules).isNotEmpty();
        return rules;
    }

    private static Map<String, String> alerts(Rendered rendered) {
        Map<String, String> alerts = new LinkedHashMap<>();
        rules(rendered).forEach(r -> alerts.put(r.path("alert").asText(), r.path("expr").asText()));
        return alerts;
    }

    private static String section(String markdown, String heading) {
        int start = markdown.indexOf("\n" + heading);
        assertThat(start).as("a section %s", heading).isNotNegative();
        int end = markdown.indexOf("\n## ", start + 1);
        return markdown.substring(start, end < 0 ? markdown.length() : end);
    }
}
