package dev.retention.deploy;

import static dev.retention.deploy.Rendered.labels;
import static dev.retention.deploy.Rendered.list;
import static dev.retention.deploy.Rendered.name;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * What a cluster operator checks before signing off production (issue 37): where the pods land (Kafka's quorum, the
 * services' spread), what survives a drain, which image runs, how the public reaches the platform, whether DNS and
 * autoscaling hold up when something around them fails, and that two environments can share a Grafana.
 */
class ProductionSchedulingTest {

    private static final String ZONE = "topology.kubernetes.io/zone";
    private static final String HOSTNAME = "kubernetes.io/hostname";
    private static final String GATEWAY_NAMESPACE = "gateway-system";
    private static final String GATEWAY = "retention-gateway";
    private static final String NODE_LOCAL_DNS = "169.254.20.10";
    private static final Pattern DIGEST = Pattern.compile("@sha256:[0-9a-f]{64}$");
    private static final String PLACEHOLDER_DIGEST = "sha256:" + "0".repeat(64);
    private static final List<String> MODULES = List.of("points-service", "tier-service", "campaign-service",
            "notification-service", "programme-service", "insights-service", "console");

    private static Rendered render(String overlay) {
        return DeployManifestsTest.render(overlay);
    }

    // 1. Kafka's quorum

    /** The labels Strimzi gives the pods of a node pool (what an affinity or spread selector is matched against). */
    private static Map<String, String> kafkaNodeLabels(String cluster, String pool) {
        return Map.of("strimzi.io/cluster", cluster, "strimzi.io/kind", "Kafka", "strimzi.io/name", cluster + "-kafka",
                "strimzi.io/pool-name", pool, "strimzi.io/component-type", "kafka");
    }

    @Test
    void noTwoKafkaNodesShareANodeTheySpreadOverZonesAndBrokersAreRackAware() {
        Rendered production = render("production");
        JsonNode kafka = production.get("Kafka", "retention-kafka");
        assertThat(kafka.path("spec").path("kafka").path("rack").path("topologyKey").asText())
                .as("brokers know their zone: a partition's replicas go to different zones").isEqualTo(ZONE);

        List<JsonNode> pools = production.ofKind("KafkaNodePool");
        assertThat(pools).isNotEmpty();
        List<Map<String, String>> everyKafkaNode = pools.stream()
                .map(p -> kafkaNodeLabels(p.path("metadata").path("labels").path("strimzi.io/cluster").asText(), name(p)))
                .collect(Collectors.toList());
        for (JsonNode pool : pools) {
            JsonNode pod = pool.path("spec").path("template").path("pod");
            List<JsonNode> antiAffinity = list(pod.path("affinity").path("podAntiAffinity")
                    .path("requiredDuringSchedulingIgnoredDuringExecution"));
            // Controllers and brokers of every pool count: two voters on one node lose the quorum with it.
            assertThat(antiAffinity).as("%s: required anti-affinity on the hostname against every Kafka node", name(pool))
                    .anySatisfy(term -> {
                        assertThat(term.path("topologyKey").asText()).isEqualTo(HOSTNAME);
                        assertThat(everyKafkaNode).allSatisfy(node ->
                                assertThat(DeployManifestsTest.selects(term.path("labelSelector"), node)).as("selects %s", node).isTrue());
                    });
            assertThat(list(pod.path("topologySpreadConstraints"))).as("%s: spread over zones", name(pool)).anySatisfy(c -> {
                assertThat(c.path("topologyKey").asText()).isEqualTo(ZONE);
                assertThat(c.path("maxSkew").asInt()).isEqualTo(1);
                assertThat(c.path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
                assertThat(everyKafkaNode).allSatisfy(node -> assertThat(DeployManifestsTest.selects(c.path("labelSelector"), node)).isTrue());
            });
        }
        String kafkaSection = section(Repository.read("docs/deployment.md"), "## Kafka");
        assertThat(kafkaSection).as("docs/deployment.md, Kafka: what rack awareness needs from the cluster")
                .contains("strimzi-kafka-broker", "topology.kubernetes.io/zone", "kafka-init");

        // Dev's single node asks for no zones: a development cluster's nodes often have no zone label.
        Rendered dev = render("dev");
        assertThat(dev.get("Kafka", "retention-kafka").path("spec").path("kafka").has("rack")).isFalse();
        assertThat(dev.ofKind("KafkaNodePool")).allSatisfy(pool -> assertThat(list(pool.path("spec").path("template")
                .path("pod").path("topologySpreadConstraints"))).noneSatisfy(c ->
                        assertThat(c.path("topologyKey").asText()).isEqualTo(ZONE)));
    }

    // 5. The services' spread

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everySpreadThatRefusesToScheduleCountsOnlyNodesThePodMayRunOn(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, List<JsonNode>> constraints = new LinkedHashMap<>();
        rendered.ofKind("Deployment").forEach(d -> constraints.put("Deployment " + name(d),
                list(d.path("spec").path("template").path("spec").path("topologySpreadConstraints"))));
        rendered.ofKind("KafkaNodePool").forEach(p -> constraints.put("KafkaNodePool " + name(p),
                list(p.path("spec").path("template").path("pod").path("topologySpreadConstraints"))));
        rendered.ofKind("Cluster").forEach(c -> constraints.put("Cluster " + name(c),
                list(c.path("spec").path("topologySpreadConstraints"))));

        constraints.forEach((owner, list) -> assertThat(list).filteredOn(c -> c.path("whenUnsatisfiable").asText()
                .equals("DoNotSchedule")).as(owner).allSatisfy(c -> {
                    // Otherwise a tainted node is an empty domain, and maxSkew keeps further replicas Pending.
                    assertThat(c.path("nodeTaintsPolicy").asText()).as("%s %s nodeTaintsPolicy", owner,
                            c.path("topologyKey").asText()).isEqualTo("Honor");
                    assertThat(c.path("nodeAffinityPolicy").asText()).as("%s %s nodeAffinityPolicy", owner,
                            c.path("topologyKey").asText()).isEqualTo("Honor");
                }));
        if (overlay.equals("production")) {
            assertThat(rendered.ofKind("Deployment")).allSatisfy(d -> assertThat(list(d.path("spec").path("template")
                    .path("spec").path("topologySpreadConstraints"))).as(name(d)).anySatisfy(c -> {
                        assertThat(c.path("topologyKey").asText()).isEqualTo(HOSTNAME);
                        assertThat(c.path("whenUnsatisfiable").asText()).isEqualTo("DoNotSchedule");
                    }));
        }
    }

    // 6. Images

    @Test
    void productionRunsTheImagesOfTheReleaseByDigestNeverAMovingTag() {
        Rendered production = render("production");
        Set<String> digests = new TreeSet<>();
        for (JsonNode deployment : production.ofKind("Deployment")) {
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                String what = name(deployment) + "/" + container.path("name").asText();
                String image = container.path("image").asText();
                assertThat(container.path("imagePullPolicy").asText()).as("%s: pulled once per node", what)
                        .isEqualTo("IfNotPresent");
                if (image.contains("/retention/")) {
                    // A -SNAPSHOT tag (or any tag) is pushed again by the next build: only a digest names one image.
                    assertThat(image).as("%s: pinned by digest", what).containsPattern(DIGEST);
                    digests.add(image.substring(image.indexOf('@') + 1));
                } else {
                    assertThat(image).as("%s: a third party's release, not a moving tag", what)
                            .matches(".+:v?\\d+\\.\\d+\\.\\d+(@sha256:[0-9a-f]{64})?").doesNotContain("SNAPSHOT");
                }
            }
        }
        if (digests.contains(PLACEHOLDER_DIGEST)) {
            // Not released yet: the placeholder no registry holds, and the runbook says how a release replaces it.
            String release = section(Repository.read("docs/runbook.md"), "## Release");
            assertThat(release).contains("deploy/k8s/pin-image-digests", "jib-image.digest", PLACEHOLDER_DIGEST.substring(0, 12));
            assertThat(digests).as("all placeholders or all real digests").containsExactly(PLACEHOLDER_DIGEST);
        }
    }

    @Test
    void developmentPullsItsMovingSnapshotTagsAtEveryStart() {
        for (JsonNode deployment : render("dev").ofKind("Deployment")) {
            for (JsonNode container : deployment.path("spec").path("template").path("spec").path("containers")) {
                String image = container.path("image").asText();
                String policy = container.path("imagePullPolicy").asText();
                assertThat(policy).as("%s/%s: an explicit pull policy", name(deployment), container.path("name").asText())
                        .isIn("Always", "IfNotPresent");
                if (image.endsWith("-SNAPSHOT")) {
                    assertThat(policy).as("%s: a node must not keep yesterday's build", image).isEqualTo("Always");
                }
            }
        }
    }

    @Test
    void theReleaseStepWritesTheDigestJibRecordedForEachImageIntoTheOverlay(@TempDir Path work) throws Exception {
        Path script = Repository.ROOT.resolve("deploy/k8s/pin-image-digests");
        assertThat(script).as("the release step's script").isExecutable();
        Path kustomization = work.resolve("kustomization.yaml");
        String original = Repository.read("deploy/k8s/overlays/production/kustomization.yaml");
        Files.writeString(kustomization, original);
        Map<String, String> pushed = new TreeMap<>();
        for (String module : MODULES) {
            String digest = "sha256:" + sha256(module + " as pushed");
            pushed.put(module, digest);
            Files.createDirectories(work.resolve(module + "/target"));
            Files.writeString(work.resolve(module + "/target/jib-image.digest"), digest);
        }

        // One module not pushed: nothing changes.
        Files.delete(work.resolve("console/target/jib-image.digest"));
        assertThat(run(script, kustomization, work)).as("refused without every digest").isNotZero();
        assertThat(Files.readString(kustomization)).isEqualTo(original);

        Files.writeString(work.resolve("console/target/jib-image.digest"), pushed.get("console") + "\n");
        assertThat(run(script, kustomization, work)).isZero();
        JsonNode pinned = Kustomize.YAML.readTree(kustomization.toFile());
        Map<String, String> written = new TreeMap<>();
        for (JsonNode image : pinned.path("images")) {
            String module = image.path("name").asText().replace("retention/", "");
            written.put(module, image.path("digest").asText());
            JsonNode before = list(Kustomize.YAML.readTree(original).path("images")).stream()
                    .filter(i -> i.path("name").equals(image.path("name"))).findFirst().orElseThrow();
            assertThat(image.path("newName")).as("%s: registry kept", module).isEqualTo(before.path("newName"));
            assertThat(image.path("newTag")).as("%s: tag kept", module).isEqualTo(before.path("newTag"));
        }
        assertThat(written).isEqualTo(pushed);
        // Everything but the digests as it was (comments, patches, settings).
        assertThat(Files.readString(kustomization).replaceAll("sha256:[0-9a-f]{64}", "D"))
                .isEqualTo(original.replaceAll("sha256:[0-9a-f]{64}", "D"));
    }

    private static int run(Path script, Path kustomization, Path modules) throws IOException, InterruptedException {
        Process process = new ProcessBuilder("bash", script.toString(), kustomization.toString(), modules.toString())
                .redirectErrorStream(true).start();
        process.getInputStream().readAllBytes();
        assertThat(process.waitFor(1, TimeUnit.MINUTES)).isTrue();
        return process.exitValue();
    }

    private static String sha256(String text) throws Exception {
        byte[] hash = java.security.MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        return java.util.HexFormat.of().formatHex(hash);
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void everyPodPullsWithTheRegistrysSecretWhichTheRunbookLists(String overlay) {
        Rendered rendered = render(overlay);
        Map<String, Set<String>> documented = Repository.operatorSecrets();
        Set<String> pullSecrets = new TreeSet<>();
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            JsonNode pod = deployment.path("spec").path("template").path("spec");
            Set<String> own = list(pod.path("imagePullSecrets")).stream().map(s -> s.path("name").asText())
                    .collect(Collectors.toSet());
            rendered.find("ServiceAccount", pod.path("serviceAccountName").asText()).ifPresent(account ->
                    account.path("imagePullSecrets").forEach(s -> own.add(s.path("name").asText())));
            assertThat(own).as("%s pulls with the registry's credentials", name(deployment)).contains("retention-registry");
            pullSecrets.addAll(own);
        }
        rendered.ofKind("ServiceAccount").forEach(a -> a.path("imagePullSecrets").forEach(s -> pullSecrets.add(s.path("name").asText())));
        assertThat(pullSecrets).allSatisfy(secret -> assertThat(documented).as("docs/runbook.md, Secrets: %s", secret)
                .containsEntry(secret, Set.of(".dockerconfigjson")));
    }

    // 7. Drains

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void aDrainEvictsPodsThatAreNotReadyInsteadOfWaitingForThem(String overlay) {
        Rendered rendered = render(overlay);
        assertThat(rendered.ofKind("PodDisruptionBudget")).hasSizeGreaterThanOrEqualTo(rendered.ofKind("Deployment").size())
                .allSatisfy(budget -> assertThat(budget.path("spec").path("unhealthyPodEvictionPolicy").asText())
                        .as(name(budget)).isEqualTo("AlwaysAllow"));
        // Readiness includes the database (a build-time choice of Quarkus): the documentation says what that means.
        String pods = section(Repository.read("docs/deployment.md"), "## The services' pods");
        assertThat(pods).contains("switchover", "unhealthyPodEvictionPolicy");
    }

    // 9. Exposure, DNS, autoscaling, the dashboard

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void thePublicReachesTheConsoleAndTheMailLinksThroughTheGatewayAndNothingElse(String overlay) {
        Rendered rendered = render(overlay);
        List<JsonNode> routes = rendered.ofKind("HTTPRoute");
        assertThat(routes).isNotEmpty().allSatisfy(route -> assertThat(list(route.path("spec").path("parentRefs")))
                .as(name(route)).singleElement().satisfies(parent -> {
                    assertThat(parent.path("kind").asText("Gateway")).isEqualTo("Gateway");
                    assertThat(parent.path("name").asText()).isEqualTo(GATEWAY);
                    assertThat(parent.path("namespace").asText()).isEqualTo(GATEWAY_NAMESPACE);
                }));

        Map<String, String> notification = configOf(rendered, "notification-service");
        assertRouted(rendered, URI.create(notification.get("PUBLIC_URL") + "/unsubscribe"), "notification-service",
                "/unsubscribe");
        assertRouted(rendered, URI.create(notification.get("FEEDBACK_BASE_URL") + "/feedback"), "campaign-service",
                "/feedback");
        JsonNode console = rendered.get("Deployment", Repository.CONSOLE);
        JsonNode proxy = list(console.path("spec").path("template").path("spec").path("containers")).stream()
                .filter(c -> c.path("name").asText().equals("oauth2-proxy")).findFirst().orElseThrow();
        URI callback = URI.create(rendered.environment(proxy).get("OAUTH2_PROXY_REDIRECT_URL"));
        assertRouted(rendered, callback, Repository.CONSOLE, callback.getPath());
        assertRouted(rendered, callback.resolve("/"), Repository.CONSOLE, "/");

        // Only these three reach a backend; nothing of the services' APIs (their clients are inside the cluster).
        Set<String> backends = routes.stream().flatMap(r -> list(r.path("spec").path("rules")).stream())
                .flatMap(rule -> list(rule.path("backendRefs")).stream()).map(b -> b.path("name").asText())
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(backends).containsExactlyInAnyOrder("notification-service", "campaign-service", Repository.CONSOLE);

        // The Gateway's proxies may reach each backend's port; no policy names the retired ingress controller.
        for (String backend : backends) {
            Map<String, String> podLabels = labels(rendered.get("Deployment", backend).path("spec").path("template")
                    .path("metadata").path("labels"));
            List<JsonNode> admitting = rendered.ofKind("NetworkPolicy").stream()
                    .filter(p -> DeployManifestsTest.selects(p.path("spec").path("podSelector"), podLabels))
                    .flatMap(p -> list(p.path("spec").path("ingress")).stream())
                    .filter(rule -> list(rule.path("ports")).stream().anyMatch(port -> port.path("port").asText().equals("http")))
                    .filter(rule -> list(rule.path("from")).stream().anyMatch(peer -> !peer.has("podSelector")
                            && peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name")
                            .asText().equals(GATEWAY_NAMESPACE)))
                    .collect(Collectors.toList());
            assertThat(admitting).as("%s admits the Gateway's namespace on http", backend).isNotEmpty();
        }
        assertThat(rendered.ofKind("NetworkPolicy")).allSatisfy(p -> assertThat(p.toString()).doesNotContain("ingress-nginx"));
        String exposure = section(Repository.read("docs/deployment.md"), "## Exposure");
        assertThat(exposure).contains(GATEWAY, GATEWAY_NAMESPACE, "HTTPRoute", "allowedRoutes");
    }

    private static Map<String, String> configOf(Rendered rendered, String deployment) {
        JsonNode container = rendered.get("Deployment", deployment).path("spec").path("template").path("spec")
                .path("containers").get(0);
        return rendered.environment(container);
    }

    /** A request for this public address reaches the backend's Service port at this path. */
    private static void assertRouted(Rendered rendered, URI address, String backend, String backendPath) {
        List<String> reached = new ArrayList<>();
        for (JsonNode route : rendered.ofKind("HTTPRoute")) {
            if (list(route.path("spec").path("hostnames")).stream().noneMatch(h -> h.asText().equals(address.getHost()))) {
                continue;
            }
            // The longest matching prefix wins (Gateway API precedence).
            JsonNode best = null;
            String bestPrefix = null;
            for (JsonNode rule : route.path("spec").path("rules")) {
                for (JsonNode match : rule.path("matches")) {
                    String prefix = match.path("path").path("value").asText("/");
                    assertThat(match.path("path").path("type").asText("PathPrefix")).isEqualTo("PathPrefix");
                    if (matchesPrefix(address.getPath(), prefix) && (bestPrefix == null || prefix.length() > bestPrefix.length())) {
                        best = rule;
                        bestPrefix = prefix;
                    }
                }
            }
            if (best == null) {
                continue;
            }
            String path = address.getPath();
            for (JsonNode filter : best.path("filters")) {
                JsonNode rewrite = filter.path("urlRewrite").path("path");
                if (rewrite.path("type").asText().equals("ReplacePrefixMatch")) {
                    String replaced = rewrite.path("replacePrefixMatch").asText() + path.substring(bestPrefix.length());
                    path = replaced.startsWith("//") ? replaced.substring(1) : replaced;
                }
            }
            for (JsonNode ref : best.path("backendRefs")) {
                JsonNode service = rendered.get("Service", ref.path("name").asText());
                assertThat(list(service.path("spec").path("ports"))).as("%s: port %s", ref.path("name").asText(),
                        ref.path("port").asInt()).anySatisfy(p -> assertThat(p.path("port").asInt()).isEqualTo(ref.path("port").asInt()));
                reached.add(ref.path("name").asText() + " " + path);
            }
        }
        assertThat(reached).as("%s is routed", address).containsExactly(backend + " " + backendPath);
    }

    private static boolean matchesPrefix(String path, String prefix) {
        String bare = prefix.endsWith("/") && prefix.length() > 1 ? prefix.substring(0, prefix.length() - 1) : prefix;
        return bare.equals("/") || path.equals(bare) || path.startsWith(bare + "/");
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void podsResolveNamesThroughCoreDnsOrTheNodeLocalDnsCache(String overlay) {
        Rendered rendered = render(overlay);
        for (JsonNode deployment : rendered.ofKind("Deployment")) {
            Map<String, String> podLabels = labels(deployment.path("spec").path("template").path("metadata").path("labels"));
            List<JsonNode> egress = rendered.ofKind("NetworkPolicy").stream()
                    .filter(p -> DeployManifestsTest.selects(p.path("spec").path("podSelector"), podLabels))
                    .filter(p -> list(p.path("spec").path("policyTypes")).stream().anyMatch(t -> t.asText().equals("Egress")))
                    .flatMap(p -> list(p.path("spec").path("egress")).stream()).collect(Collectors.toList());
            assertThat(egress).as("%s: egress is restricted", name(deployment)).isNotEmpty();
            for (String protocol : List.of("UDP", "TCP")) {
                List<JsonNode> dnsPeers = egress.stream().filter(rule -> list(rule.path("ports")).stream().anyMatch(p ->
                                p.path("port").asInt() == 53 && p.path("protocol").asText("TCP").equals(protocol)))
                        .flatMap(rule -> list(rule.path("to")).stream()).collect(Collectors.toList());
                assertThat(dnsPeers).as("%s: DNS over %s to NodeLocal DNSCache (%s)", name(deployment), protocol, NODE_LOCAL_DNS)
                        .anySatisfy(peer -> assertThat(contains(peer.path("ipBlock").path("cidr").asText("255.255.255.255/32"),
                                NODE_LOCAL_DNS)).isTrue());
                assertThat(dnsPeers).as("%s: DNS over %s to any pod of kube-system, whatever CoreDNS's labels",
                        name(deployment), protocol).anySatisfy(peer -> {
                            assertThat(peer.has("podSelector")).isFalse();
                            assertThat(peer.path("namespaceSelector").path("matchLabels").path("kubernetes.io/metadata.name")
                                    .asText()).isEqualTo("kube-system");
                        });
            }
        }
    }

    private static boolean contains(String cidr, String address) {
        String[] parts = cidr.split("/");
        int bits = Integer.parseInt(parts[1]);
        long mask = bits == 0 ? 0 : 0xffffffffL << (32 - bits) & 0xffffffffL;
        return (ipv4(parts[0]) & mask) == (ipv4(address) & mask);
    }

    private static long ipv4(String address) {
        long value = 0;
        for (String octet : address.split("\\.")) {
            value = value << 8 | Integer.parseInt(octet);
        }
        return value;
    }

    @ParameterizedTest
    @ValueSource(strings = {"dev", "production"})
    void whenKedaCannotReadTheLagTheReplicasStay(String overlay) {
        assertThat(render(overlay).ofKind("ScaledObject")).isNotEmpty().allSatisfy(scaler -> {
            JsonNode spec = scaler.path("spec");
            JsonNode fallback = spec.path("fallback");
            assertThat(fallback.path("failureThreshold").asInt()).as(name(scaler)).isBetween(1, 10);
            assertThat(fallback.path("replicas").asInt()).as(name(scaler))
                    .isBetween(spec.path("minReplicaCount").asInt(), spec.path("maxReplicaCount").asInt());
            // Never fewer than before the outage: a backlog that was being worked off keeps its consumers.
            assertThat(fallback.path("behavior").asText()).as(name(scaler)).isEqualTo("currentReplicasIfHigher");
        });
    }

    @Test
    void devAndProductionDashboardsCanShareAGrafana() throws Exception {
        Map<String, String> uids = new TreeMap<>();
        for (String overlay : List.of("dev", "production")) {
            JsonNode dashboard = new ObjectMapper().readTree(render(overlay).get("ConfigMap", "retention-grafana-dashboard")
                    .path("data").path("retention-dashboard.json").asText());
            assertThat(dashboard.path("title").asText()).isNotEmpty();
            uids.put(overlay, dashboard.path("uid").asText());
        }
        assertThat(uids.values()).allSatisfy(uid -> assertThat(uid).as("a Grafana uid").matches("[A-Za-z0-9_-]{1,40}"));
        assertThat(uids.get("dev")).isNotEqualTo(uids.get("production"));
        assertThat(uids.get("production")).as("production's links stay valid").isEqualTo("retention-platform");
    }

    // Helpers

    /** The text of a Markdown section from its heading to the next heading of the same or a higher level. */
    private static String section(String markdown, String heading) {
        Matcher level = Pattern.compile("^(#+) ").matcher(heading);
        assertThat(level.find()).isTrue();
        int start = markdown.indexOf("\n" + heading + "\n");
        assertThat(start).as("section %s", heading).isNotNegative();
        Matcher next = Pattern.compile("\n#{1," + level.group(1).length() + "} ").matcher(markdown);
        int end = next.find(start + heading.length() + 1) ? next.start() : markdown.length();
        return markdown.substring(start, end);
    }
}
