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
            "kube_deployment_spec_replicas", "up");
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
        Map<String, String> producers = Repository.producers();
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
            producers.forEach((topic, producer) -> {
                if (producer.equals(serviceName)) {
                    expected.add("topic " + topic + " literal Write");
                }
            });
            service.consumedTopics().forEach(t -> expected.add("topic " + service.dlq(t) + " literal Write"));

            JsonNode user = rendered.get("KafkaUser", serviceName);
            assertThat(user.path("spec").path("authentication").path("type").asText()).isEqualTo("tls");
            assertThat(acls(user)).as("ACLs of %s", serviceName).isEqualTo(expected);
        }
        Set<String> shopTopics = producers.entrySet().stream().filter(e -> e.getValue().equals("shop platform"))
                .map(e -> "topic " + e.getKey() + " literal Write").collect(Collectors.toCollection(TreeSet::new));
        assertThat(acls(rendered.get("KafkaUser", "shop-platform"))).isEqualTo(shopTopics);
        Set<String> programmeWriters = rendered.ofKind("KafkaUser").stream()
                .filter(u -> acls(u).contains("topic " + Repository.PROGRAMME_TOPIC + " literal Write"))
                .map(Rendered::name).collect(Collectors.toCollection(TreeSet::new));
        assertThat(programmeWriters).as("who may publish the programme").containsExactly("programme-service");
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
        assertThat(rendered.ofKind("Deployment")).hasSize(Repository.SERVICES.size());
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            String name = name(deployment);
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            JsonNode container = container(deployment);

            // A service that scales on its lag leaves replicas to KEDA; one without a ScaledObject (programme-service,
            // which consumes nothing at volume) sets its own.
            assertThat(deployment.path("spec").has("replicas")).as("%s: replicas belong to KEDA", name)
                    .isEqualTo(rendered.find("ScaledObject", name).isEmpty());
            assertThat(pod.path("securityContext").path("runAsNonRoot").asBoolean()).as(name).isTrue();
            assertThat(pod.path("securityContext").path("seccompProfile").path("type").asText()).isEqualTo("RuntimeDefault");
            assertThat(pod.path("automountServiceAccountToken").asBoolean(true)).as(name).isFalse();
            assertThat(rendered.find("ServiceAccount", pod.path("serviceAccountName").asText())).as(name).isPresent();
            JsonNode security = container.path("securityContext");
            assertThat(security.path("readOnlyRootFilesystem").asBoolean()).as(name).isTrue();
            assertThat(security.path("allowPrivilegeEscalation").asBoolean(true)).as(name).isFalse();
            assertThat(list(security.path("capabilities").path("drop"))).extracting(JsonNode::asText).contains("ALL");
            assertThat(list(container.path("volumeMounts"))).extracting(m -> m.path("mountPath").asText()).contains("/tmp");

            JsonNode resources = container.path("resources");
            assertThat(resources.path("requests").has("cpu")).as(name).isTrue();
            assertThat(resources.path("limits").path("memory").asText()).as("%s: memory limit = request", name)
                    .isNotEmpty().isEqualTo(resources.path("requests").path("memory").asText());

            Set<String> ports = list(container.path("ports")).stream().map(p -> p.path("name").asText()).collect(Collectors.toSet());
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
            long pause = container.path("lifecycle").path("preStop").path("sleep").path("seconds").asLong(0);
            assertThat(pod.path("terminationGracePeriodSeconds").asLong(30)).as("%s: grace period", name)
                    .isGreaterThan(shutdown + pause);
            Map.of("HTTP_PORT", "http", "MANAGEMENT_PORT", "management").forEach((variable, port) ->
                    assertThat(environment.get(variable)).as("%s: %s", name, variable).isEqualTo(list(container.path("ports"))
                            .stream().filter(p -> p.path("name").asText().equals(port)).findFirst().orElseThrow()
                            .path("containerPort").asText()));
        }
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
            Set<String> containerPorts = list(container(deployment).path("ports")).stream()
                    .map(p -> p.path("name").asText()).collect(Collectors.toSet());
            for (JsonNode port : service.path("spec").path("ports")) {
                assertThat(containerPorts).contains(port.path("targetPort").asText());
            }

            JsonNode budget = rendered.get("PodDisruptionBudget", name);
            assertThat(podLabels).containsAllEntriesOf(labels(budget.path("spec").path("selector").path("matchLabels")));

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
            assertThat(container(deployment).path("image").asText()).as(name(deployment))
                    .endsWith("/retention/" + name(deployment) + ":" + version);
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
            String link = r.path("annotations").path("runbook").asText();
            assertThat(link).as(r.path("alert").asText()).startsWith("docs/runbook.md#");
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
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            JsonNode container = container(deployment);
            Map<String, String> environment = rendered.environment(container);
            String database = environment.get("DB_NAME");
            String secret = list(container.path("env")).stream().filter(v -> v.path("name").asText().equals("DB_USER"))
                    .map(v -> v.path("valueFrom").path("secretKeyRef").path("name").asText()).findFirst().orElseThrow();
            assertThat(environment.get("DB_HOST")).as(name(deployment)).isEqualTo("retention-db-rw");
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
        assertThat(dev.objects()).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText())
                .isEqualTo("retention-dev"));
        assertThat(production.objects()).allSatisfy(o -> assertThat(o.path("metadata").path("namespace").asText())
                .isEqualTo("retention"));
    }
}
