package dev.retention.deploy;

import static dev.retention.deploy.Rendered.labels;
import static dev.retention.deploy.Rendered.list;
import static dev.retention.deploy.Rendered.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * Renders every overlay of deploy/k8s as an operator would ({@code kubectl kustomize}) and checks what would be
 * applied: each object against its kind's model, and the objects against each other and against the rest of the
 * repository (the services' configuration, the AsyncAPI document, the configuration reference and the runbook).
 */
class DeployManifestsTest {

    private static final Map<String, Rendered> RENDERED = new ConcurrentHashMap<>();
    private static final Set<String> EXTERNAL_METRICS = Set.of("kafka_consumergroup_lag",
            "kube_deployment_status_replicas_unavailable", "kube_deployment_status_replicas_available",
            "kube_deployment_spec_replicas", "up",
            // The brokers' JMX exporter (kafka/kafka-metrics.yaml names them).
            "kafka_server_replicamanager_underreplicatedpartitions", "kafka_controller_kafkacontroller_offlinepartitionscount",
            "kafka_controller_kafkacontroller_activecontrollercount");
    private static final Pattern METRIC = Pattern.compile("\\b((?:retention|kafka|kube)_[a-z_]+|up)\\s*[{\\[(]");

    static Rendered render(String overlay) {
        return RENDERED.computeIfAbsent(overlay, o -> new Rendered(o, Kustomize.render(Repository.ROOT.resolve(
                o.equals("base") || o.equals("tools") ? "deploy/k8s/" + o : "deploy/k8s/overlays/" + o))));
    }

    @ParameterizedTest
    @ValueSource(strings = {"base", "dev", "production", "tools"})
    void everyObjectMatchesThePublishedModelOfItsKind(String overlay) {
        Rendered rendered = render(overlay);
        List<String> violations = rendered.objects().stream().flatMap(o -> ManifestModels.violations(o).stream())
                .collect(Collectors.toList());

        assertThat(rendered.objects()).isNotEmpty();
        assertThat(violations).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyTopicAServiceReadsOrWritesIsAKafkaTopicAndNoOtherIs(String overlay) {
        Rendered rendered = render(overlay);
        Set<String> declared = rendered.ofKind("KafkaTopic").stream()
                .map(t -> t.path("spec").path("topicName").asText(name(t))).collect(Collectors.toCollection(TreeSet::new));
        Set<String> needed = new TreeSet<>(Repository.producers().keySet());
        for (String serviceName : checkedServices()) {
            Repository.Service service = Repository.service(serviceName);
            needed.addAll(service.consumedTopics());
            service.consumedTopics().forEach(topic -> needed.add(service.dlq(topic)));
        }
        // The dead-letter topics of a service whose sources are not in this tree cannot be derived here.
        rendered.ofKind("KafkaTopic").stream().filter(t -> {
            String deadLettersOf = t.path("metadata").path("labels").path("retention.dev/dead-letters-of").asText();
            return !deadLettersOf.isEmpty() && !Repository.hasSources(deadLettersOf);
        }).map(Rendered::name).forEach(needed::add);

        assertThat(declared).isEqualTo(needed);
        assumeEveryServiceChecked();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void onlyTopicsTheContractDeclaresCompactedAreCompactedAndTheyAreNeverDeletedByTime(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, String> contract = Repository.cleanupPolicies();
        assertThat(contract).as("the AsyncAPI document declares a compacted topic").containsValue("compact");
        for (JsonNode topic : rendered.ofKind("KafkaTopic")) {
            JsonNode config = topic.path("spec").path("config");
            String policy = config.path("cleanup.policy").asText();
            // Dead-letter topics are streams of rejections, whatever their source topic is.
            String expected = topic.path("metadata").path("labels").has("retention.dev/dead-letters-of") ? "delete"
                    : contract.get(name(topic));
            assertThat(policy).as("cleanup.policy of %s", name(topic)).isEqualTo(expected);
            if (policy.equals("compact")) {
                // The latest record of each key is the state every service needs, at any later start or rebuild.
                assertThat(config.path("retention.ms").asLong()).as("%s is never deleted by time", name(topic))
                        .isEqualTo(-1L);
                assertThat(topic.path("spec").path("partitions").asInt()).as("%s: one partition, in order", name(topic))
                        .isEqualTo(1);
            }
        }
        assertThat(rendered.find("KafkaTopic", Repository.PROGRAMME_TOPIC).orElseThrow().path("spec").path("config")
                .path("cleanup.policy").asText()).isEqualTo("compact");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void eachServiceMayReadExactlyItsTopicsAndWriteExactlyItsOutputAndDeadLetters(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, Set<String>> producers = Repository.producers();
        for (String serviceName : Repository.SERVICES) {
            // Whatever else it reads, every service reads the programme through the eventing kit, in its own group.
            JsonNode user = rendered.get("KafkaUser", serviceName);
            assertThat(acls(user)).as("%s reads the programme", serviceName).contains(
                    "topic " + Repository.PROGRAMME_TOPIC + " literal Read", "group " + serviceName + "-programme literal Read",
                    "topic " + Repository.PROGRAMME_TOPIC + "." + serviceName + ".dlq literal Write");
        }
        for (String serviceName : checkedServices()) {
            Repository.Service service = Repository.service(serviceName);
            Set<String> expected = new TreeSet<>();
            service.consumedTopics().forEach(t -> expected.add("topic " + t + " literal Read"));
            service.channels().values().forEach(c -> expected.add("group " + c.group() + " literal Read"));
            producers.forEach((topic, writers) -> {
                if (writers.contains(serviceName)) {
                    expected.add("topic " + topic + " literal Write");
                }
            });
            service.consumedTopics().forEach(t -> expected.add("topic " + service.dlq(t) + " literal Write"));

            JsonNode user = rendered.get("KafkaUser", serviceName);
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("tls");
            assertThat(acls(user)).as("ACLs of %s", serviceName).isEqualTo(expected);
        }
        Set<String> shopTopics = producers.entrySet().stream().filter(e -> e.getValue().contains("shop platform"))
                .map(e -> "topic " + e.getKey() + " literal Write").collect(Collectors.toCollection(TreeSet::new));
        assertThat(acls(rendered.get("KafkaUser", "shop-platform"))).isEqualTo(shopTopics);
        Set<String> programmeWriters = rendered.ofKind("KafkaUser").stream()
                .filter(u -> acls(u).contains("topic " + Repository.PROGRAMME_TOPIC + " literal Write"))
                .map(Rendered::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(programmeWriters).as("who may publish the programme").containsExactly("programme-service");
        // The shop's customers topic: besides the shop (and the operators, for replays), only notification-service,
        // whose erasure API publishes customer.erased there.
        Set<String> customerWriters = rendered.ofKind("KafkaUser").stream()
                .filter(u -> acls(u).contains("topic customers literal Write"))
                .map(Rendered::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(customerWriters).as("who may write customers").containsExactly("notification-service", "retention-ops",
                "shop-platform");
        assumeEveryServiceChecked();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void operatorsMayReadEveryDeadLetterTopicAndOnlyItsServiceWritesIt(String overlay) {
        Rendered rendered = render(overlay);
        Set<String> ops = acls(rendered.get("KafkaUser", "retention-ops"));
        for (JsonNode topic : rendered.ofKind("KafkaTopic")) {
            String deadLettersOf = topic.path("metadata").path("labels").path("retention.dev/dead-letters-of").asText();
            if (deadLettersOf.isEmpty()) {
                continue;
            }
            assertThat(ops).as("retention-ops reads the dead letters of %s", deadLettersOf)
                    .contains("topic " + name(topic) + " literal Read");
            assertThat(name(topic)).as("named <topic>.<consumer group>.dlq").endsWith("." + deadLettersOf + ".dlq");
            assertThat(rendered.ofKind("KafkaUser").stream().filter(u -> acls(u).contains("topic " + name(topic) + " literal Write"))
                    .map(Rendered::name)).as("only %s writes %s", deadLettersOf, name(topic)).containsExactly(deadLettersOf);
        }
        // ... and may move every consumer group of a service (a replay, or the programme read again after an upgrade).
        rendered.ofKind("KafkaUser").stream()
                .filter(u -> u.path("metadata").path("labels").path("app.kubernetes.io/component").asText().equals("service"))
                .flatMap(u -> acls(u).stream()).filter(acl -> acl.startsWith("group "))
                .forEach(group -> assertThat(ops).as("retention-ops may reset %s", group).contains(group));
    }

    private static Set<String> acls(JsonNode user) {
        Set<String> acls = new TreeSet<>();
        for (JsonNode acl : user.path("spec").path("authorization").path("acls")) {
            JsonNode resource = acl.path("resource");
            for (JsonNode operation : acl.path("operations")) {
                acls.add(resource.path("type").asText() + " " + resource.path("name").asText() + " "
                        + resource.path("patternType").asText("literal") + " " + operation.asText());
            }
        }
        return acls;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyConfigMapAndSecretKeyThatIsReadExists(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, Set<String>> configMaps = new HashMap<>();
        rendered.ofKind("ConfigMap").forEach(c -> configMaps.put(name(c), fieldNames(c.path("data"))));
        Map<String, Set<String>> secrets = new HashMap<>();
        rendered.ofKind("Secret").forEach(s -> secrets.put(name(s), fieldNames(s.path("data"))));
        // What the operators write: Strimzi's User Operator a Secret per KafkaUser, its Cluster Operator the cluster CA.
        rendered.ofKind("KafkaUser").forEach(u -> secrets.put(name(u),
                Set.of("ca.crt", "user.crt", "user.key", "user.p12", "user.password")));
        rendered.ofKind("Kafka").forEach(k -> secrets.put(name(k) + "-cluster-ca-cert",
                Set.of("ca.crt", "ca.p12", "ca.password")));
        // CloudNativePG writes each Cluster's CA (the services verify the server against ca.crt).
        rendered.ofKind("Cluster").forEach(c -> secrets.put(name(c) + "-ca", Set.of("ca.crt", "ca.key")));
        Map<String, Set<String>> fromRunbook = Repository.operatorSecrets();
        secrets.putAll(fromRunbook);

        List<String> missing = new ArrayList<>();
        Set<String> secretsRead = new HashSet<>();
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            String where = "Deployment " + name(deployment);
            for (JsonNode container : pod.path("containers")) {
                for (JsonNode source : container.path("envFrom")) {
                    checkExists(configMaps, source.path("configMapRef"), null, where, missing);
                    checkExists(secrets, source.path("secretRef"), null, where, missing);
                }
                for (JsonNode variable : container.path("env")) {
                    JsonNode from = variable.path("valueFrom");
                    checkExists(configMaps, from.path("configMapKeyRef"), from.path("configMapKeyRef").path("key"), where, missing);
                    checkExists(secrets, from.path("secretKeyRef"), from.path("secretKeyRef").path("key"), where, missing);
                    secretsRead.add(from.path("secretKeyRef").path("name").asText());
                }
            }
            for (JsonNode pullSecret : pod.path("imagePullSecrets")) {
                checkExists(secrets, pullSecret.path("name"), null, where, missing);
                secretsRead.add(pullSecret.path("name").asText());
            }
            for (JsonNode volume : pod.path("volumes")) {
                JsonNode secret = volume.path("secret");
                if (!secret.isMissingNode()) {
                    secretsRead.add(secret.path("secretName").asText());
                    for (JsonNode item : items(secret)) {
                        checkExists(secrets, secret.path("secretName"), item.path("key"), where, missing);
                    }
                }
            }
        }
        for (JsonNode auth : rendered.ofKind("TriggerAuthentication")) {
            for (JsonNode ref : auth.path("spec").path("secretTargetRef")) {
                checkExists(secrets, ref.path("name"), ref.path("key"), "TriggerAuthentication " + name(auth), missing);
            }
        }
        for (JsonNode cluster : rendered.ofKind("Cluster")) {
            for (JsonNode role : cluster.path("spec").path("managed").path("roles")) {
                JsonNode secretName = role.path("passwordSecret").path("name");
                secretsRead.add(secretName.asText());
                checkExists(secrets, secretName, TextNode.valueOf("username"), "Cluster " + name(cluster), missing);
                checkExists(secrets, secretName, TextNode.valueOf("password"), "Cluster " + name(cluster), missing);
            }
        }

        // The backups' object store credentials (production only: the development overlay keeps no backups).
        Set<String> backupSecrets = new HashSet<>();
        for (String withBackups : List.of(overlay, "production")) {
            render(withBackups).ofKind("ObjectStore").forEach(store -> store.path("spec").path("configuration")
                    .path("s3Credentials").forEach(ref -> backupSecrets.add(ref.path("name").asText())));
        }
        secretsRead.addAll(backupSecrets);

        assertThat(missing).isEmpty();
        assertThat(secretsRead).as("every Secret the runbook asks for is used").containsAll(fromRunbook.keySet());
    }

    private static List<JsonNode> items(JsonNode volumeSource) {
        return volumeSource.has("items") ? list(volumeSource.path("items")) : List.of();
    }

    private static void checkExists(Map<String, Set<String>> available, JsonNode reference, JsonNode key, String where,
                                    List<String> missing) {
        String name = reference.isTextual() ? reference.asText() : reference.path("name").asText(null);
        if (name == null) {
            return;
        }
        if (!available.containsKey(name)) {
            missing.add(where + " reads " + name + ", which nothing creates and docs/runbook.md does not list");
        } else if (key != null && !key.isMissingNode() && !available.get(name).contains(key.asText())) {
            missing.add(where + " reads key " + key.asText() + " of " + name + ", which has " + available.get(name));
        }
    }

    private static Set<String> fieldNames(JsonNode node) {
        Set<String> names = new TreeSet<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyVariableIsASettingTheServiceReadsAndEveryRequiredOneIsSet(String overlay) {
        Rendered rendered = render(overlay);
        Set<String> kafkaSettings = new HashSet<>(ConsumerConfig.configNames());
        kafkaSettings.addAll(ProducerConfig.configNames());
        Set<String> documentedVariables = Repository.documentedKeys().stream().map(DeployManifestsTest::asVariable)
                .collect(Collectors.toSet());
        for (String serviceName : checkedServices()) {
            Repository.Service service = Repository.service(serviceName);
            JsonNode container = container(rendered.get("Deployment", serviceName));
            Map<String, String> environment = rendered.environment(container);
            Set<String> known = new HashSet<>(service.variables());
            service.properties().stringPropertyNames().forEach(key -> known.add(asVariable(key)));
            known.addAll(documentedVariables);

            List<String> unknown = environment.keySet().stream().filter(variable -> !known.contains(variable)
                    && !(variable.startsWith("KAFKA_") && kafkaSettings.contains(
                            variable.substring(6).toLowerCase().replace('_', '.')))
                    && !variable.startsWith("QUARKUS_")
                    && !Set.of("JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND").contains(variable))
                    .collect(Collectors.toList());
            assertThat(unknown).as("variables of %s that it does not read", serviceName).isEmpty();

            Set<String> required = new TreeSet<>();
            service.properties().stringPropertyNames().stream().filter(key -> !key.startsWith("%"))
                    .forEach(key -> {
                        Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(service.properties().getProperty(key));
                        while (m.find()) {
                            required.add(m.group(1));
                        }
                    });
            assertThat(environment.keySet()).as("%s sets every variable without a default", serviceName)
                    .containsAll(required);

            // Files named by a variable are where a volume puts them.
            Map<String, JsonNode> mounts = new HashMap<>();
            container.path("volumeMounts").forEach(m -> mounts.put(m.path("mountPath").asText(), m));
            environment.forEach((variable, value) -> {
                if (variable.endsWith("_LOCATION")) {
                    String directory = value.substring(0, value.lastIndexOf('/'));
                    String file = value.substring(value.lastIndexOf('/') + 1);
                    assertThat(mounts).as("%s %s: %s is mounted", serviceName, variable, directory).containsKey(directory);
                    JsonNode volume = volume(rendered.get("Deployment", serviceName), mounts.get(directory).path("name").asText());
                    JsonNode source = volume.has("secret") ? volume.path("secret") : volume.path("configMap");
                    assertThat(items(source).stream().map(i -> i.path("path").asText()))
                            .as("%s %s: the volume holds %s", serviceName, variable, file).contains(file);
                }
            });
        }
        assumeEveryServiceChecked();
    }

    /** The services whose configuration is in this tree (Repository.hasSources). */
    private static List<String> checkedServices() {
        return Repository.SERVICES.stream().filter(Repository::hasSources).collect(Collectors.toList());
    }

    /**
     * Called last by a test that compares the manifests with the services' configuration: when a deployed service's
     * sources are not in this tree, the test has checked everything else and is reported as skipped, naming it.
     */
    private static void assumeEveryServiceChecked() {
        List<String> unchecked = Repository.SERVICES.stream().filter(s -> !Repository.hasSources(s)).collect(Collectors.toList());
        Assumptions.assumeTrue(unchecked.isEmpty(), () -> "not checked against their configuration, whose sources are "
                + "not in this tree: " + unchecked);
    }

    private static String asVariable(String key) {
        return key.toUpperCase().replaceAll("[^A-Z0-9]", "_");
    }

    /** The Deployments of the six services (app.kubernetes.io/component=service), not the console's. */
    private static List<JsonNode> services(Rendered rendered) {
        return rendered.ofKind("Deployment").stream().filter(d -> d.path("metadata").path("labels")
                .path("app.kubernetes.io/component").asText().equals("service")).collect(Collectors.toList());
    }

    private static JsonNode container(JsonNode deployment) {
        return deployment.path("spec").path("template").path("spec").path("containers").get(0);
    }

    private static JsonNode volume(JsonNode deployment, String name) {
        return list(deployment.path("spec").path("template").path("spec").path("volumes")).stream()
                .filter(v -> v.path("name").asText().equals(name)).findFirst()
                .orElseThrow(() -> new AssertionError("no volume " + name + " in " + name(deployment)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void podsAreHardenedProbedBoundedAndStopGracefully(String overlay) {
        Rendered rendered = render(overlay);
        Set<String> expected = new TreeSet<>(Repository.SERVICES);
        expected.add(Repository.CONSOLE);
        assertThat(rendered.ofKind("Deployment")).extracting(Rendered::name).containsExactlyInAnyOrderElementsOf(expected);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            String name = name(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = container(deployment);

            // A service that scales on its lag leaves replicas to KEDA; one without a ScaledObject (programme-service,
            // which consumes nothing at volume, and the console) sets its own.
            assertThat(deployment.path("spec").has("replicas")).as("%s: replicas belong to KEDA", name)
                    .isEqualTo(rendered.find("ScaledObject", name).isEmpty());
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
            assertThat(rendered.find("ServiceAccount", pod.path("serviceAccountName").asText())).as(name).isPresent();
            // Every container of the pod, a sidecar as much as the application.
            for (JsonNode each : pod.path("containers")) {
                String what = name + "/" + each.path("name").asText();
                JsonNode security = each.path("securityContext");
                assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(what).isTrue();
                assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(what).isFalse();
                assertThat(security.path("privileged").asBoolean(false)).as(what).isFalse();
                assertThat(list(security.path("capabilities").path("drop"))).as(what).extracting(JsonNode::asText)
                        .contains("ALL");
                JsonNode resources = each.path("resources");
                assertThat(resources.path("requests").has("cpu")).as(what).isTrue();
                assertThat(resources.path("limits").path("memory").asText()).as("%s: memory limit = request", what)
                        .isNotEmpty().isEqualTo(resources.path("requests").path("memory").asText());
                Set<String> own = list(each.path("ports")).stream().map(p -> p.path("name").asText()).collect(Collectors.toSet());
                for (String probe : List.of("livenessProbe", "readinessProbe")) {
                    assertThat(own).as("%s %s probes a port of its own", what, probe)
                            .contains(each.path(probe).path("httpGet").path("port").asText());
                }
            }
            assertThat(list(container.path("volumeMounts"))).extracting(m -> m.path("mountPath").asText()).contains("/tmp");

            Set<String> ports = list(pod.path("containers")).stream().flatMap(c -> list(c.path("ports")).stream())
                    .map(p -> p.path("name").asText()).collect(Collectors.toSet());
            Map<String, String> probes = Map.of("startupProbe", "/q/health/started", "livenessProbe", "/q/health/live",
                    "readinessProbe", "/q/health/ready");
            probes.forEach((probe, path) -> {
                assertThat(container.path(probe).path("httpGet").path("path").asText()).as(name + " " + probe).isEqualTo(path);
                // Health is served on the management interface only (the API port answers 404).
                assertThat(container.path(probe).path("httpGet").path("port").asText()).as(name + " " + probe)
                        .isEqualTo("management");
            });
            assertThat(ports).as(name).contains("http", "management");

            Map<String, String> environment = rendered.environment(container);
            long shutdown = Duration.parse("PT" + environment.get("QUARKUS_SHUTDOWN_TIMEOUT").toUpperCase()).toSeconds();
            for (JsonNode each : pod.path("containers")) {
                long pause = each.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
                assertThat(pause).as("%s/%s leaves the Service before it stops", name, each.path("name").asText())
                        .isPositive();
                assertThat(pod.path("terminationGracePeriodSeconds").asLong(30)).as("%s: grace period", name)
                        .isGreaterThan(shutdown + pause);
            }
            assertThat(environment.get("MANAGEMENT_PORT")).as("%s: MANAGEMENT_PORT", name)
                    .isEqualTo(containerPort(container, "management"));
            if (name.equals(Repository.CONSOLE)) {
                // The pod's "http" is the sign-in proxy's; the console's own HTTP_PORT is where the proxy forwards.
                assertThat(upstream(sidecar(deployment, "oauth2-proxy"))).as("console: HTTP_PORT behind the proxy")
                        .isEqualTo("http://127.0.0.1:" + environment.get("HTTP_PORT"));
            } else {
                assertThat(environment.get("HTTP_PORT")).as("%s: HTTP_PORT", name).isEqualTo(containerPort(container, "http"));
            }
        }
    }

    private static String containerPort(JsonNode container, String portName) {
        return list(container.path("ports")).stream().filter(p -> p.path("name").asText().equals(portName)).findFirst()
                .orElseThrow(() -> new AssertionError(container.path("name").asText() + " has no port " + portName))
                .path("containerPort").asText();
    }

    private static JsonNode sidecar(JsonNode deployment, String containerName) {
        return list(deployment.path("spec").path("template").path("spec").path("containers")).stream()
                .filter(c -> c.path("name").asText().equals(containerName)).findFirst()
                .orElseThrow(() -> new AssertionError(name(deployment) + " has no container " + containerName));
    }

    /** The value of a "--flag=value" argument of a container, or null. */
    private static String argument(JsonNode container, String flag) {
        return list(container.path("args")).stream().map(JsonNode::asText).filter(a -> a.startsWith(flag + "="))
                .map(a -> a.substring(flag.length() + 1)).findFirst().orElse(null);
    }

    private static String upstream(JsonNode proxy) {
        return argument(proxy, "--upstream");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void servicesBudgetsMonitorsPoliciesAndScalersReachTheirPods(String overlay) {
        Rendered rendered = render(overlay);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            String name = name(deployment);
            Map<String, String> podLabels = labels(deployment.path("spec").path("template").path("metadata").path("labels"));
            assertThat(podLabels).containsAllEntriesOf(labels(deployment.path("spec").path("selector").path("matchLabels")));

            JsonNode service = rendered.get("Service", name);
            assertThat(podLabels).as("Service %s selects the pods", name).containsAllEntriesOf(labels(service.path("spec").path("selector")));
            Set<String> containerPorts = list(deployment.path("spec").path("template").path("spec").path("containers"))
                    .stream().flatMap(c -> list(c.path("ports")).stream()).map(p -> p.path("name").asText())
                    .collect(Collectors.toSet());
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(containerPorts).contains(port.path("targetPort").asText());
            }

            JsonNode budget = rendered.get("PodDisruptionBudget", name);
            assertThat(podLabels).containsAllEntriesOf(labels(budget.path("spec").path("selector").path("matchLabels")));

            // The console's "http" is its sign-in proxy's port (theConsoleIsReachedOnlyThroughItsSignInProxy...).
            assertThat(list(service.path("spec").path("ports"))).as("Service %s exposes the API only", name)
                    .extracting(p -> p.path("targetPort").asText()).containsExactly("http");
            assertThat(rendered.ofKind("PodMonitor")).as("%s is scraped on its management port", name).anySatisfy(monitor -> {
                assertThat(podLabels).containsAllEntriesOf(labels(monitor.path("spec").path("selector").path("matchLabels")));
                assertThat(podLabels).containsKey(monitor.path("spec").path("jobLabel").asText());
                assertThat(list(monitor.path("spec").path("podMetricsEndpoints"))).anySatisfy(endpoint -> {
                    assertThat(endpoint.path("port").asText()).isEqualTo("management");
                    assertThat(endpoint.path("path").asText()).isEqualTo("/q/metrics");
                });
            });

            List<JsonNode> policies = rendered.ofKind("NetworkPolicy").stream().filter(policy -> podLabels.entrySet()
                    .containsAll(labels(policy.path("spec").path("podSelector").path("matchLabels")).entrySet()))
                    .collect(Collectors.toList());
            assertThat(policies.stream().flatMap(p -> list(p.path("spec").path("policyTypes")).stream()).map(JsonNode::asText))
                    .as("%s: traffic in and out is restricted", name).contains("Ingress", "Egress");

            rendered.find("ScaledObject", name).ifPresent(scaler -> assertThat(scaler.path("spec").path("scaleTargetRef")
                    .path("name").asText()).isEqualTo(name));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void autoscalingFollowsEachConsumedTopicsLagWithinItsPartitions(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, Integer> partitions = new HashMap<>();
        rendered.ofKind("KafkaTopic").forEach(t -> partitions.put(name(t), t.path("spec").path("partitions").asInt()));
        String bootstrap = rendered.configMapDeclaredAs("retention-kafka-client").orElseThrow()
                .path("data").path("KAFKA_BOOTSTRAP_SERVERS").asText();
        for (String serviceName : checkedServices()) {
            Repository.Service service = Repository.service(serviceName);
            List<Repository.Channel> workload = service.scaledChannels();
            if (workload.isEmpty()) {
                // Only the kit's programme channel (a few records): no lag to scale on, a fixed replica count.
                assertThat(rendered.find("ScaledObject", serviceName)).as("%s has no workload to scale on", serviceName)
                        .isEmpty();
                assertThat(rendered.get("Deployment", serviceName).path("spec").path("replicas").asInt())
                        .as("%s: replicas", serviceName).isGreaterThanOrEqualTo(1);
                continue;
            }
            JsonNode spec = rendered.get("ScaledObject", serviceName).path("spec");
            Set<String> triggers = new TreeSet<>();
            for (JsonNode trigger : spec.path("triggers")) {
                JsonNode metadata = trigger.path("metadata");
                assertThat(trigger.path("type").asText()).isEqualTo("kafka");
                assertThat(metadata.path("bootstrapServers").asText()).isEqualTo(bootstrap);
                assertThat(rendered.find("TriggerAuthentication", trigger.path("authenticationRef").path("name").asText()))
                        .isPresent();
                triggers.add(metadata.path("consumerGroup").asText() + " " + metadata.path("topic").asText());
            }
            Set<String> expected = new TreeSet<>();
            workload.forEach(channel -> channel.topics().forEach(topic -> expected.add(channel.group() + " " + topic)));
            assertThat(triggers).as("%s scales on the lag of every topic of its workload, in the channel's group",
                    serviceName).isEqualTo(expected);

            Map<String, String> environment = rendered.environment(container(rendered.get("Deployment", serviceName)));
            int max = spec.path("maxReplicaCount").asInt();
            for (Repository.Channel channel : workload) {
                int consumersPerInstance = Optional.ofNullable(channel.concurrencyVariable()).map(environment::get)
                        .map(Integer::parseInt).orElse(channel.concurrency());
                int mostPartitions = channel.topics().stream().mapToInt(partitions::get).max().orElseThrow();
                assertThat(max * consumersPerInstance).as("%s: %d replicas x %d consumers against %d partitions",
                        serviceName, max, consumersPerInstance, mostPartitions).isLessThanOrEqualTo(mostPartitions);
            }
            assertThat(spec.path("minReplicaCount").asInt()).isBetween(1, max);
        }
        assumeEveryServiceChecked();
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void topicsSurviveABrokerWhereThereAreSeveralAndOutliveNoInbox(String overlay) {
        Rendered rendered = render(overlay);
        Set<String> clusters = rendered.ofKind("Kafka").stream().map(Rendered::name).collect(Collectors.toSet());
        assertThat(clusters).hasSize(1);
        for (String kind : List.of("KafkaNodePool", "KafkaTopic", "KafkaUser")) {
            assertThat(rendered.ofKind(kind)).as(kind).allSatisfy(o ->
                    assertThat(clusters).contains(o.path("metadata").path("labels").path("strimzi.io/cluster").asText()));
        }
        JsonNode kafkaConfig = rendered.ofKind("Kafka").get(0).path("spec").path("kafka").path("config");
        assertThat(kafkaConfig.path("auto.create.topics.enable").asBoolean(true)).isFalse();
        int brokers = brokers(rendered);
        long inboxRetention = inboxRetention().toMillis();

        for (JsonNode topic : rendered.ofKind("KafkaTopic")) {
            int replicas = topic.path("spec").path("replicas").asInt();
            int minInSync = topic.path("spec").path("config").path("min.insync.replicas").asInt();
            assertThat(replicas).as(name(topic)).isBetween(1, brokers);
            assertThat(minInSync).as(name(topic)).isBetween(1, replicas);
            if (brokers >= 3) {
                assertThat(replicas).as(name(topic)).isGreaterThanOrEqualTo(3);
                assertThat(minInSync).as("%s: a write is on two brokers, and one may be lost", name(topic))
                        .isEqualTo(2);
            }
            if (topic.path("spec").path("config").path("cleanup.policy").asText().equals("compact")) {
                // State, not a stream: the latest record of a key is kept for good and re-reading it is harmless
                // (it holds the whole timeline, which a service applies again as the same versions).
                continue;
            }
            assertThat(topic.path("spec").path("config").path("retention.ms").asLong())
                    .as("%s: retention below the inbox's %s", name(topic), inboxRetention()).isBetween(1L, inboxRetention - 1);
        }
        if (brokers >= 3) {
            assertThat(kafkaConfig.path("min.insync.replicas").asInt()).isEqualTo(2);
            assertThat(kafkaConfig.path("default.replication.factor").asInt()).isEqualTo(3);
        }
    }

    private static int brokers(Rendered rendered) {
        return rendered.ofKind("KafkaNodePool").stream()
                .filter(p -> list(p.path("spec").path("roles")).stream().anyMatch(r -> r.asText().equals("broker")))
                .mapToInt(p -> p.path("spec").path("replicas").asInt()).sum();
    }

    private static Duration inboxRetention() {
        Matcher m = Pattern.compile("\\| `retention\\.eventing\\.inbox\\.retention` \\| `(\\d+)d` \\|")
                .matcher(Repository.read("docs/configuration.md"));
        assertThat(m.find()).as("docs/configuration.md documents the inbox retention").isTrue();
        return Duration.ofDays(Long.parseLong(m.group(1)));
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void imagesAreTaggedWithTheProjectVersion(String overlay) {
        String version = Repository.projectVersion();
        for (JsonNode deployment : render(overlay).ofKind("Deployment")) {
            // Production adds the digest the release pinned (ProductionSchedulingTest); the tag still names the version.
            assertThat(container(deployment).path("image").asText()).as(name(deployment))
                    .matches(".*/retention/" + Pattern.quote(name(deployment) + ":" + version) + "(@sha256:[0-9a-f]{64})?");
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void dashboardAndAlertsUseOnlyMetricsThatExistAndCoverWhatOperatorsWatch(String overlay) throws Exception {
        Rendered rendered = render(overlay);
        Set<String> meters = Repository.meterBaseNames();
        JsonNode dashboard = new ObjectMapper().readTree(rendered.get("ConfigMap", "retention-grafana-dashboard")
                .path("data").path("retention-dashboard.json").asText());
        assertThat(rendered.get("ConfigMap", "retention-grafana-dashboard").path("metadata").path("labels")
                .path("grafana_dashboard").asText()).isEqualTo("1");
        List<String> dashboardQueries = new ArrayList<>();
        dashboard.path("panels").forEach(p -> p.path("targets").forEach(t -> dashboardQueries.add(t.path("expr").asText())));
        Map<String, String> alerts = new LinkedHashMap<>();
        rendered.get("PrometheusRule", "retention-platform").path("spec").path("groups").forEach(g -> g.path("rules")
                .forEach(r -> alerts.put(r.path("alert").asText(), r.path("expr").asText())));

        Set<String> dashboardMetrics = metrics(dashboardQueries);
        Set<String> alertMetrics = metrics(alerts.values());
        Set<String> all = new TreeSet<>(dashboardMetrics);
        all.addAll(alertMetrics);
        Set<String> gauges = Repository.gaugeNames();
        assertThat(all).allSatisfy(metric -> assertThat(EXTERNAL_METRICS.contains(metric) || gauges.contains(metric)
                || meters.stream().anyMatch(meter -> metric.matches(Pattern.quote(meter)
                        + "(_total|_seconds|_seconds_sum|_seconds_count|_seconds_max|_sum|_count|_max)")))
                .as("%s is registered by a service or comes from Kafka Exporter / kube-state-metrics", metric).isTrue());

        assertThat(dashboardMetrics).contains("kafka_consumergroup_lag", "retention_events_applied_total",
                "retention_dead_letters_total", "retention_triggers_total", "retention_notifications_total");
        assertThat(dashboardMetrics).contains("retention_programme_version_in_force");
        assertThat(alertMetrics).contains("kafka_consumergroup_lag", "retention_dead_letters_total",
                "kube_deployment_status_replicas_unavailable", "retention_programme_versions_rejected");
        // An alert or panel that names the services by a regular expression names every one of them.
        List<String> queries = new ArrayList<>(dashboardQueries);
        queries.addAll(alerts.values());
        Matcher serviceSelector = Pattern.compile("(?:deployment|job)=~\"([^\"]+)\"").matcher(String.join("\n", queries));
        while (serviceSelector.find()) {
            String selector = serviceSelector.group(1);
            assertThat(rendered.ofKind("Deployment")).as("%s selects every service", selector)
                    .allSatisfy(d -> assertThat(name(d)).matches(selector));
        }
        for (String query : dashboardQueries) {
            assertThat(query.chars().filter(c -> c == '(').count()).as(query).isEqualTo(query.chars().filter(c -> c == ')').count());
        }
        String runbook = Repository.read("docs/runbook.md");
        rendered.get("PrometheusRule", "retention-platform").path("spec").path("groups").forEach(g -> g.path("rules").forEach(r -> {
            String link = r.path("annotations").path("runbook_url").asText();
            assertThat(link).as(r.path("alert").asText()).matches("https://.+/docs/runbook\\.md#[a-z0-9-]+");
            String anchor = link.substring(link.indexOf('#') + 1);
            assertThat(runbook).as("runbook section for %s", anchor).containsPattern("(?m)^#+ .*\\{#" + Pattern.quote(anchor)
                    + "}|(?mi)^#+ " + Pattern.quote(anchor.replace('-', ' ')) + "\\s*$");
        }));
    }

    private static Set<String> metrics(java.util.Collection<String> queries) {
        Set<String> metrics = new TreeSet<>();
        for (String query : queries) {
            Matcher m = METRIC.matcher(query);
            while (m.find()) {
                metrics.add(m.group(1));
            }
        }
        return metrics;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void eachServiceHasItsOwnDatabaseOwnedByTheRoleItLogsInAs(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, String> roleOfSecret = new HashMap<>();
        rendered.get("Cluster", "retention-db").path("spec").path("managed").path("roles").forEach(role ->
                roleOfSecret.put(role.path("passwordSecret").path("name").asText(), role.path("name").asText()));
        Map<String, String> ownerOfDatabase = new HashMap<>();
        rendered.ofKind("Database").forEach(db -> {
            assertThat(db.path("spec").path("cluster").path("name").asText()).isEqualTo("retention-db");
            ownerOfDatabase.put(db.path("spec").path("name").asText(), db.path("spec").path("owner").asText());
        });
        Set<String> databases = new HashSet<>();
        // The console has no database (theConsoleHoldsNoDatabaseOrKafkaCredential...).
        for (JsonNode deployment : services(rendered)) {
            JsonNode container = container(deployment);
            Map<String, String> environment = rendered.environment(container);
            String database = environment.get("DB_NAME");
            String secret = list(container.path("env")).stream().filter(v -> v.path("name").asText().equals("DB_USER"))
                    .map(v -> v.path("valueFrom").path("secretKeyRef").path("name").asText()).findFirst().orElseThrow();
            // The pools through PgBouncer, Flyway (a session-level advisory lock) straight to the primary.
            assertThat(environment.get("DB_HOST")).as(name(deployment)).isEqualTo("retention-db-pooler-rw");
            assertThat(environment.get("DB_MIGRATION_HOST")).as(name(deployment)).isEqualTo("retention-db-rw");
            assertThat(ownerOfDatabase).as("%s: database %s", name(deployment), database).containsKey(database);
            assertThat(roleOfSecret.get(secret)).as("%s logs in with %s as the owner of %s", name(deployment), secret,
                    database).isEqualTo(ownerOfDatabase.get(database));
            assertThat(databases.add(database)).as("%s shares no database", name(deployment)).isTrue();
        }
        assertThat(databases).contains("retention_programme");
    }

    @org.junit.jupiter.api.Test
    void productionSurvivesTheLossOfANodeAndDevelopmentStaysSmall() {
        Rendered production = render("production");
        assertThat(brokers(production)).isGreaterThanOrEqualTo(3);
        JsonNode database = production.get("Cluster", "retention-db").path("spec");
        assertThat(database.path("instances").asInt()).isGreaterThanOrEqualTo(3);
        assertThat(database.path("minSyncReplicas").asInt()).isGreaterThanOrEqualTo(1);
        assertThat(production.ofKind("ScheduledBackup")).isNotEmpty();
        assertThat(production.ofKind("ScaledObject")).allSatisfy(s ->
                assertThat(s.path("spec").path("minReplicaCount").asInt()).isGreaterThanOrEqualTo(2));
        assertThat(production.ofKind("Deployment")).filteredOn(d -> d.path("spec").has("replicas"))
                .isNotEmpty().allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt()).as(name(d))
                        .isGreaterThanOrEqualTo(2));
        assertThat(production.ofKind("Deployment")).allSatisfy(d -> assertThat(list(d.path("spec").path("template")
                .path("spec").path("topologySpreadConstraints"))).extracting(c -> c.path("topologyKey").asText())
                .contains("kubernetes.io/hostname"));

        Rendered dev = render("dev");
        assertThat(brokers(dev)).isEqualTo(1);
        assertThat(dev.get("Cluster", "retention-db").path("spec").path("instances").asInt()).isEqualTo(1);
        assertThat(dev.ofKind("Deployment")).filteredOn(d -> d.path("spec").has("replicas"))
                .allSatisfy(d -> assertThat(d.path("spec").path("replicas").asInt()).as(name(d)).isEqualTo(1));
        // PriorityClasses are cluster-wide objects.
        assertThat(dev.objects()).filteredOn(o -> !o.path("kind").asText().equals("PriorityClass"))
                .allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("retention-dev"));
        assertThat(production.objects()).filteredOn(o -> !o.path("kind").asText().equals("PriorityClass"))
                .allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText()).isEqualTo("retention"));
    }

    // The console (docs/deployment.md, "The console"): a web front end for the services' APIs, behind a sign-in proxy.

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theConsoleHoldsNoDatabaseOrKafkaCredentialAndReachesOnlyTheServicesAndTheIdentityProvider(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode console = rendered.get("Deployment", Repository.CONSOLE);
        JsonNode pod = console.path("spec").path("template").path("spec");
        Set<String> kafkaUserSecrets = rendered.ofKind("KafkaUser").stream().map(Rendered::name).collect(Collectors.toSet());
        Set<String> databaseSecrets = new HashSet<>();
        rendered.ofKind("Cluster").forEach(c -> c.path("spec").path("managed").path("roles").forEach(role ->
                databaseSecrets.add(role.path("passwordSecret").path("name").asText())));
        assertThat(databaseSecrets).as("the database's roles are found").isNotEmpty();

        Set<String> secretsRead = new TreeSet<>();
        for (JsonNode container : pod.path("containers")) {
            Map<String, String> environment = rendered.environment(container);
            assertThat(environment.keySet()).as("console/%s: no database or Kafka settings", container.path("name").asText())
                    .noneMatch(v -> v.startsWith("DB_") || v.startsWith("KAFKA_"));
            assertThat(list(container.path("envFrom"))).extracting(source -> source.path("configMapRef").path("name").asText())
                    .noneMatch(configMap -> configMap.startsWith("retention-kafka-client"));
            container.path("env").forEach(v -> secretsRead.add(v.path("valueFrom").path("secretKeyRef").path("name").asText("")));
            container.path("envFrom").forEach(v -> secretsRead.add(v.path("secretRef").path("name").asText("")));
        }
        pod.path("volumes").forEach(v -> secretsRead.add(v.path("secret").path("secretName").asText("")));
        secretsRead.remove("");
        assertThat(secretsRead).as("the console's Secrets").containsExactlyInAnyOrder("retention-api-auth",
                "console-oauth2-proxy");
        assertThat(secretsRead).doesNotContainAnyElementsOf(kafkaUserSecrets).doesNotContainAnyElementsOf(databaseSecrets);
        assertThat(rendered.find("KafkaUser", Repository.CONSOLE)).as("no Kafka user for the console").isEmpty();
        assertThat(rendered.find("ScaledObject", Repository.CONSOLE)).as("nothing to scale on").isEmpty();

        Map<String, String> podLabels = labels(console.path("spec").path("template").path("metadata").path("labels"));
        List<JsonNode> policies = rendered.ofKind("NetworkPolicy").stream()
                .filter(policy -> selects(policy.path("spec").path("podSelector"), podLabels)).collect(Collectors.toList());
        assertThat(policies).extracting(Rendered::name).containsExactly("console");
        JsonNode policy = policies.get(0).path("spec");
        assertThat(list(policy.path("policyTypes"))).extracting(JsonNode::asText).containsExactlyInAnyOrder("Ingress", "Egress");

        // In: the proxy from the Gateway's proxies, health and metrics from Prometheus; nothing else.
        Set<String> ingress = new TreeSet<>();
        for (JsonNode rule : policy.path("ingress")) {
            assertThat(rule.path("from").size()).as("an ingress rule names who (none: everyone)").isPositive();
            assertThat(rule.path("ports").size()).as("an ingress rule names ports (none: all)").isPositive();
            for (JsonNode port : rule.path("ports")) {
                for (JsonNode peer : rule.path("from")) {
                    assertThat(peer.has("podSelector")).as("by namespace only").isFalse();
                    ingress.add(port.path("port").asText() + " from " + peer.path("namespaceSelector").path("matchLabels")
                            .path("kubernetes.io/metadata.name").asText("?"));
                }
            }
        }
        assertThat(ingress).containsExactlyInAnyOrder("http from gateway-system", "management from monitoring");

        // Out: DNS, the six services' API port, the identity provider on 443; no Kafka, no PostgreSQL.
        Set<String> servicesReached = new TreeSet<>();
        Set<String> egressPorts = new TreeSet<>();
        for (JsonNode rule : policy.path("egress")) {
            assertThat(rule.path("to").size()).as("an egress rule names where (none: anywhere)").isPositive();
            assertThat(rule.path("ports").size()).as("an egress rule names ports (none: all)").isPositive();
            Set<String> ports = list(rule.path("ports")).stream().map(p -> p.path("port").asText()).collect(Collectors.toSet());
            egressPorts.addAll(ports);
            for (JsonNode peer : rule.path("to")) {
                if (peer.path("ipBlock").path("cidr").asText().equals("169.254.20.10/32")) {
                    assertThat(ports).as("NodeLocal DNSCache: DNS only").containsExactly("53");
                } else if (peer.has("ipBlock")) {
                    assertThat(ports).as("outside the cluster: HTTPS only").containsExactly("443");
                } else if (peer.has("namespaceSelector")) {
                    assertThat(ports).as("another namespace: DNS only").containsExactlyInAnyOrder("53");
                    assertThat(peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name")
                            .asText()).isEqualTo("kube-system");
                } else {
                    assertThat(ports).as("the platform's pods: the API port only").containsExactly("http");
                    rendered.ofKind("Deployment").stream().filter(d -> selects(peer.path("podSelector"),
                            labels(d.path("spec").path("template").path("metadata").path("labels"))))
                            .map(Rendered::name).forEach(servicesReached::add);
                    assertThat(peer.path("podSelector").path("matchLabels").has("strimzi.io/cluster")).isFalse();
                    assertThat(peer.path("podSelector").path("matchLabels").has("cnpg.io/cluster")).isFalse();
                }
            }
        }
        assertThat(servicesReached).as("the console calls the six services").containsExactlyInAnyOrderElementsOf(
                Repository.SERVICES);
        assertThat(egressPorts).containsExactlyInAnyOrder("53", "http", "443");

        // ... and the services let it in: their policy admits API clients, which the console's pods are.
        JsonNode servicesPolicy = rendered.get("NetworkPolicy", "retention-services").path("spec");
        assertThat(list(servicesPolicy.path("ingress"))).as("the services admit the console on their API port")
                .anySatisfy(rule -> {
                    assertThat(list(rule.path("ports"))).extracting(p -> p.path("port").asText()).contains("http");
                    assertThat(list(rule.path("from"))).anySatisfy(peer ->
                            assertThat(selects(peer.path("podSelector"), podLabels)).isTrue());
                });
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theConsoleIsReachedOnlyThroughItsSignInProxyWhichPassesTheUsersAccessToken(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode console = rendered.get("Deployment", Repository.CONSOLE);
        JsonNode app = container(console);
        JsonNode proxy = sidecar(console, "oauth2-proxy");
        Map<String, String> environment = rendered.environment(app);

        assertThat(proxy.path("image").asText()).as("a released oauth2-proxy, pinned")
                .matches("quay\\.io/oauth2-proxy/oauth2-proxy:v\\d+\\.\\d+\\.\\d+");
        // The Service and the pod's "http" port lead to the proxy; the console itself listens on the loopback only.
        assertThat(rendered.get("Service", Repository.CONSOLE).path("spec").path("ports")).singleElement()
                .satisfies(port -> assertThat(port.path("targetPort").asText()).isEqualTo("http"));
        assertThat(argument(proxy, "--http-address")).isEqualTo("0.0.0.0:" + containerPort(proxy, "http"));
        assertThat(list(app.path("ports"))).extracting(p -> p.path("name").asText()).containsExactly("management");
        assertThat(environment.get("QUARKUS_HTTP_HOST")).as("pages on the loopback interface only").isEqualTo("127.0.0.1");
        assertThat(upstream(proxy)).isEqualTo("http://127.0.0.1:" + environment.get("HTTP_PORT"));

        // The user's access token reaches the console in the header it reads it from.
        assertThat(argument(proxy, "--pass-access-token")).isEqualTo("true");
        assertThat(environment.get("CONSOLE_TOKEN_HEADER")).isEqualTo("X-Forwarded-Access-Token");
        assertThat(list(proxy.path("args"))).extracting(JsonNode::asText).contains("--set-xauthrequest", "--reverse-proxy",
                "--skip-provider-button", "--provider=oidc", "--cookie-secure=true", "--email-domain=*");
        assertThat(environment.get("CONSOLE_SECURE_COOKIES")).isEqualTo("true");

        // Signed in at the provider whose tokens the console and the services verify: one issuer, one key.
        JsonNode service = container(rendered.get("Deployment", "points-service"));
        String apiAuth = list(service.path("envFrom")).stream().map(s -> s.path("configMapRef").path("name").asText())
                .filter(n -> n.startsWith("retention-api-auth")).findFirst().orElseThrow();
        assertThat(list(app.path("envFrom"))).extracting(s -> s.path("configMapRef").path("name").asText()).contains(apiAuth);
        assertThat(environment.get("JWT_ISSUER")).isNotEmpty().isEqualTo(rendered.environment(service).get("JWT_ISSUER"));
        assertThat(environment.get("JWT_PUBLIC_KEY_LOCATION")).isEqualTo(rendered.environment(service).get("JWT_PUBLIC_KEY_LOCATION"));
        assertThat(volume(console, "api-auth").path("secret").path("secretName").asText())
                .isEqualTo(volume(rendered.get("Deployment", "points-service"), "api-auth").path("secret").path("secretName").asText());
        Map<String, JsonNode> proxyEnv = new HashMap<>();
        proxy.path("env").forEach(v -> proxyEnv.put(v.path("name").asText(), v.path("valueFrom")));
        assertThat(proxyEnv.get("OAUTH2_PROXY_OIDC_ISSUER_URL").path("configMapKeyRef").path("name").asText()).isEqualTo(apiAuth);
        assertThat(proxyEnv.get("OAUTH2_PROXY_OIDC_ISSUER_URL").path("configMapKeyRef").path("key").asText()).isEqualTo("JWT_ISSUER");
        Map.of("OAUTH2_PROXY_CLIENT_ID", "client-id", "OAUTH2_PROXY_CLIENT_SECRET", "client-secret",
                "OAUTH2_PROXY_COOKIE_SECRET", "cookie-secret").forEach((variable, key) -> {
                    assertThat(proxyEnv.get(variable).path("secretKeyRef").path("name").asText()).as(variable)
                            .isEqualTo("console-oauth2-proxy");
                    assertThat(proxyEnv.get(variable).path("secretKeyRef").path("key").asText()).as(variable).isEqualTo(key);
                });
        assertThat(rendered.environment(proxy).get("OAUTH2_PROXY_REDIRECT_URL")).startsWith("https://").endsWith("/oauth2/callback");

        // Each service by its Service's name and port.
        for (String serviceName : Repository.SERVICES) {
            String variable = serviceName.replace("-service", "").toUpperCase() + "_SERVICE_URL";
            int port = rendered.get("Service", serviceName).path("spec").path("ports").get(0).path("port").asInt();
            assertThat(environment.get(variable)).as(variable)
                    .isEqualTo("http://" + serviceName + (port == 80 ? "" : ":" + port));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theConsolesVariablesAndSecretsAreDocumented(String overlay) {
        Rendered rendered = render(overlay);
        JsonNode console = rendered.get("Deployment", Repository.CONSOLE);
        String deployment = Repository.read("docs/deployment.md");
        int start = deployment.indexOf("\n## The console");
        assertThat(start).as("docs/deployment.md has a section \"The console\"").isNotNegative();
        int end = deployment.indexOf("\n## ", start + 1);
        String section = deployment.substring(start, end < 0 ? deployment.length() : end);
        for (JsonNode container : console.path("spec").path("template").path("spec").path("containers")) {
            assertThat(rendered.environment(container).keySet()).as("console/%s", container.path("name").asText())
                    .allSatisfy(variable -> assertThat(section).as("%s is documented", variable).contains("`" + variable + "`"));
        }
        assertThat(Repository.operatorSecrets()).as("docs/runbook.md, Secrets").containsEntry("console-oauth2-proxy",
                new java.util.LinkedHashSet<>(List.of("client-id", "client-secret", "cookie-secret")));
        // Where the console's own path on the local platform is described, briefly.
        assertThat(section).contains("deploy/local/platform start", "groups", "admin", "marketer", "support", "analyst");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void theConsoleReadsEveryVariableItIsGivenAndIsGivenEveryOneItRequires(String overlay) {
        Assumptions.assumeTrue(Repository.hasSources(Repository.CONSOLE),
                "the console's sources are not in this tree: its variables are checked against docs/deployment.md only");
        Rendered rendered = render(overlay);
        Repository.Service console = Repository.service(Repository.CONSOLE);
        JsonNode container = container(rendered.get("Deployment", Repository.CONSOLE));
        Map<String, String> environment = rendered.environment(container);
        Set<String> known = new HashSet<>(console.variables());
        console.properties().stringPropertyNames().forEach(key -> known.add(asVariable(key)));
        assertThat(environment.keySet()).as("variables the console does not read").allSatisfy(variable ->
                assertThat(known.contains(variable) || variable.startsWith("QUARKUS_")
                        || Set.of("JAVA_MAX_MEM_RATIO", "JAVA_OPTS_APPEND").contains(variable)).as(variable).isTrue());
        Set<String> required = new TreeSet<>();
        console.properties().stringPropertyNames().stream().filter(key -> !key.startsWith("%")).forEach(key -> {
            Matcher m = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)}").matcher(console.properties().getProperty(key));
            while (m.find()) {
                required.add(m.group(1));
            }
        });
        assertThat(environment.keySet()).as("the console gets every variable without a default").containsAll(required);
    }

    /** Whether a label selector (matchLabels and matchExpressions) selects a pod with these labels. */
    static boolean selects(JsonNode selector, Map<String, String> podLabels) {
        if (!podLabels.entrySet().containsAll(labels(selector.path("matchLabels")).entrySet())) {
            return false;
        }
        for (JsonNode expression : selector.path("matchExpressions")) {
            String value = podLabels.get(expression.path("key").asText());
            Set<String> values = list(expression.path("values")).stream().map(JsonNode::asText).collect(Collectors.toSet());
            boolean matches = switch (expression.path("operator").asText()) {
                case "In" -> value != null && values.contains(value);
                case "NotIn" -> value == null || !values.contains(value);
                case "Exists" -> value != null;
                case "DoesNotExist" -> value == null;
                default -> throw new AssertionError("unknown operator in " + expression);
            };
            if (!matches) {
                return false;
            }
        }
        return true;
    }
}
