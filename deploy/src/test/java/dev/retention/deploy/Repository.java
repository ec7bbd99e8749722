package dev.retention.deploy;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What the rest of the repository says the deployment must match, read from the sources themselves: each service's
 * application.properties (topics, consumer group, consumers per instance, the variables it reads), the AsyncAPI
 * document (who produces which topic), the configuration reference, the runbook's table of Secrets, the project
 * version and the metrics the code registers.
 */
final class Repository {

    static final Path ROOT = findRoot();
    static final List<String> SERVICES = List.of("points-service", "tier-service", "campaign-service", "notification-service",
            "programme-service", "insights-service");
    /** The web console: a Deployment like the services', with no database and no Kafka (docs/deployment.md). */
    static final String CONSOLE = "console";
    /**
     * The eventing kit's channel for the compacted retention.programme, which every service configures: a few records
     * read whole, in a consumer group of its own (<service>-programme). Not a workload: nothing scales on its lag.
     */
    static final String PROGRAMME_CHANNEL = "programme";
    /** The compacted topic of the programme's published versions (contracts' Topics.RETENTION_PROGRAMME). */
    static final String PROGRAMME_TOPIC = "retention.programme";

    private static final Pattern PLACEHOLDER = Pattern.compile("\\$\\{([^:}]+)(?::([^}]*))?}");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern CONCURRENCY_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}");
    private static final Pattern GAUGE = Pattern.compile("(?:Gauge\\.builder|\\.gauge)\\(\"(retention\\.[a-z.]+)\"");
    private static final Pattern METER = Pattern.compile("(?:counter|builder|summary|timer|gauge)\\(\"(retention\\.[a-z.]+)\"");

    private Repository() {
    }

    private static Path findRoot() {
        Path dir = Path.of("").toAbsolutePath();
        while (dir != null && !Files.exists(dir.resolve("deploy/k8s"))) {
            dir = dir.getParent();
        }
        if (dir == null) {
            throw new IllegalStateException("run from inside the repository: no deploy/k8s above " + Path.of("").toAbsolutePath());
        }
        return dir;
    }

    /** One incoming channel of a service: the topics it reads, in which consumer group, with how many consumers. */
    record Channel(String name, Set<String> topics, String group, String concurrencyVariable, int concurrency) {
    }

    /**
     * One service as its own configuration describes it. {@code consumerGroup} is the eventing kit's
     * retention.eventing.consumer-group (default: the application's name): it names the service's dead-letter topics,
     * whichever channel a record came from.
     */
    record Service(String name, Map<String, Channel> channels, String consumerGroup, Properties properties) {

        String dlq(String topic) {
            return topic + "." + consumerGroup + ".dlq";
        }

        /** Every topic the service reads, on any channel. */
        Set<String> consumedTopics() {
            Set<String> topics = new LinkedHashSet<>();
            channels.values().forEach(channel -> topics.addAll(channel.topics()));
            return topics;
        }

        /**
         * The channels whose lag is the service's workload: all but the kit's programme channel and the channels of
         * other compacted topics (products): state read whole, a few records, on one partition.
         */
        List<Channel> scaledChannels() {
            Map<String, String> policies = cleanupPolicies();
            return channels.values().stream().filter(c -> !c.name().equals(PROGRAMME_CHANNEL))
                    .filter(c -> !c.topics().stream().allMatch(t -> "compact".equals(policies.get(t))))
                    .collect(Collectors.toList());
        }

        /** Variables the service reads by name: the ${VAR} placeholders of its application.properties. */
        Set<String> variables() {
            Set<String> variables = new TreeSet<>();
            for (String key : properties.stringPropertyNames()) {
                Matcher m = VARIABLE.matcher(properties.getProperty(key));
                while (m.find()) {
                    variables.add(m.group(1));
                }
            }
            return variables;
        }
    }

    private static final Map<String, Service> SERVICE_CACHE = new ConcurrentHashMap<>();

    /** Read once per test run: every test asks for the same services. */
    static Service service(String name) {
        return SERVICE_CACHE.computeIfAbsent(name, Repository::readService);
    }

    private static Path properties(String service) {
        return ROOT.resolve(service + "/src/main/resources/application.properties");
    }

    /**
     * Whether the service's sources are in this tree. The manifests of a service may arrive on a branch before the
     * service itself (deploy/k8s and the service are written in parallel); the tests then check the rest and say
     * what they could not check (DeployManifestsTest.assumeEveryServiceChecked).
     */
    static boolean hasSources(String service) {
        return Files.exists(properties(service));
    }

    private static Service readService(String name) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(properties(name))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String consumerGroup = properties.getProperty("retention.eventing.consumer-group",
                properties.getProperty("quarkus.application.name", name));
        Map<String, Channel> channels = new TreeMap<>();
        Pattern incoming = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.(.+)");
        Set<String> channelNames = new TreeSet<>();
        for (String key : properties.stringPropertyNames()) {
            Matcher m = incoming.matcher(key);
            if (m.matches()) {
                channelNames.add(m.group(1));
            }
        }
        for (String channel : channelNames) {
            String prefix = "mp.messaging.incoming." + channel + ".";
            Set<String> topics = new LinkedHashSet<>();
            String value = properties.getProperty(prefix + "topics", properties.getProperty(prefix + "topic", channel));
            Stream.of(value.split(",")).map(String::trim).forEach(topics::add);
            String group = resolve(properties.getProperty(prefix + "group.id", consumerGroup), properties);
            String concurrencyVariable = null;
            int concurrency = 1;
            String concurrencyValue = properties.getProperty(prefix + "concurrency");
            if (concurrencyValue != null) {
                Matcher m = CONCURRENCY_VARIABLE.matcher(concurrencyValue);
                if (m.matches()) {
                    concurrencyVariable = m.group(1);
                    concurrency = Integer.parseInt(m.group(2));
                } else {
                    concurrency = Integer.parseInt(concurrencyValue.trim());
                }
            }
            channels.put(channel, new Channel(channel, topics, group, concurrencyVariable, concurrency));
        }
        return new Service(name, channels, consumerGroup, properties);
    }

    /** A value with its ${key:default} placeholders replaced as the service would see them without overrides. */
    private static String resolve(String value, Properties properties) {
        Matcher m = PLACEHOLDER.matcher(value);
        StringBuilder resolved = new StringBuilder();
        while (m.find()) {
            String replacement = properties.getProperty(m.group(1), m.group(2) == null ? "" : m.group(2));
            m.appendReplacement(resolved, Matcher.quoteReplacement(resolve(replacement, properties)));
        }
        m.appendTail(resolved);
        return resolved.toString();
    }

    /** Topic name to its x-cleanup-policy in the AsyncAPI document (delete where it names none). */
    static Map<String, String> cleanupPolicies() {
        try {
            JsonNode asyncApi = Kustomize.YAML.readTree(ROOT.resolve("contracts/src/main/resources/asyncapi.yaml").toFile());
            Map<String, String> policies = new LinkedHashMap<>();
            asyncApi.path("channels").forEach(channel -> {
                if (!channel.path("address").asText().contains("{")) {
                    policies.put(channel.path("address").asText(), channel.path("x-cleanup-policy").asText("delete"));
                }
            });
            return policies;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Topic name to whoever may write it, from the AsyncAPI document: its x-producer, and the services its
     * x-also-produced-by names (notification-service's erasure API writes customer.erased on customers).
     */
    static Map<String, Set<String>> producers() {
        return PRODUCERS;
    }

    private static final Map<String, Set<String>> PRODUCERS = readProducers();

    private static Map<String, Set<String>> readProducers() {
        try {
            JsonNode asyncApi = Kustomize.YAML.readTree(ROOT.resolve("contracts/src/main/resources/asyncapi.yaml").toFile());
            Map<String, Set<String>> producers = new LinkedHashMap<>();
            asyncApi.path("channels").forEach(channel -> {
                if (channel.has("x-producer") && !channel.path("address").asText().contains("{")) {
                    Set<String> writers = new TreeSet<>();
                    writers.add(channel.path("x-producer").asText());
                    channel.path("x-also-produced-by").fieldNames().forEachRemaining(writers::add);
                    producers.put(channel.path("address").asText(), writers);
                }
            });
            return producers;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String projectVersion() {
        Matcher m = Pattern.compile("<artifactId>retention-platform</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(read("pom.xml"));
        if (!m.find()) {
            throw new IllegalStateException("no project version in pom.xml");
        }
        return m.group(1);
    }

    /** Every `key` mentioned in the configuration reference. */
    static Set<String> documentedKeys() {
        Set<String> keys = new TreeSet<>();
        Matcher m = Pattern.compile("`([a-z][a-z0-9.\\-\\[\\]<>*]*)`").matcher(read("docs/configuration.md"));
        while (m.find()) {
            keys.add(m.group(1));
        }
        return keys;
    }

    /**
     * The Secrets an operator creates, with their keys: the table under "## Secrets" in docs/runbook.md, one row per
     * Secret, names and keys in backticks.
     */
    static Map<String, Set<String>> operatorSecrets() {
        String runbook = read("docs/runbook.md");
        int start = runbook.indexOf("\n## Secrets");
        if (start < 0) {
            throw new IllegalStateException("docs/runbook.md has no '## Secrets' section");
        }
        int end = runbook.indexOf("\n## ", start + 1);
        String section = runbook.substring(start, end < 0 ? runbook.length() : end);
        Map<String, Set<String>> secrets = new LinkedHashMap<>();
        for (String line : section.split("\n")) {
            if (!line.startsWith("| `")) {
                continue;
            }
            String[] cells = line.split("\\|");
            String secret = cells[1].trim().replace("`", "");
            Set<String> keys = new LinkedHashSet<>();
            Matcher m = Pattern.compile("`([^`]+)`").matcher(cells[2]);
            while (m.find()) {
                keys.add(m.group(1));
            }
            secrets.put(secret, keys);
        }
        return secrets;
    }

    /** Prometheus names of the meters the services register (retention.events.applied -> retention_events_applied). */
    static Set<String> meterBaseNames() {
        return meterNames(METER);
    }

    /** Prometheus names of the gauges among them, which Prometheus shows without a suffix. */
    static Set<String> gaugeNames() {
        return meterNames(GAUGE);
    }

    private static Set<String> meterNames(Pattern pattern) {
        try (Stream<Path> sources = Files.walk(ROOT)) {
            List<Path> javaFiles = sources.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/")).collect(Collectors.toList());
            Set<String> names = new TreeSet<>();
            for (Path file : javaFiles) {
                Matcher m = pattern.matcher(Files.readString(file));
                while (m.find()) {
                    names.add(m.group(1).replace('.', '_'));
                }
            }
            return names;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String read(String relativePath) {
        try {
            return Files.readString(ROOT.resolve(relativePath));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
