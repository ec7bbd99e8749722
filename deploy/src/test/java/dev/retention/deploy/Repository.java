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
    static final List<String> SERVICES = List.of("points-service", "tier-service", "campaign-service", "notification-service");

    private static final Pattern PLACEHOLDER_DEFAULT = Pattern.compile("\\$\\{[^:}]+:([^}]*)}");
    private static final Pattern VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)[:}]");
    private static final Pattern CONCURRENCY_VARIABLE = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):(\\d+)}");
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

    /** One service as its own configuration describes it. */
    record Service(String name, Set<String> consumedTopics, String consumerGroup, String concurrencyVariable,
                   int defaultConcurrency, Properties properties) {

        String dlq(String topic) {
            return topic + "." + consumerGroup + ".dlq";
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

    /** Read once per test run: every test asks for the same four services. */
    static Service service(String name) {
        return SERVICE_CACHE.computeIfAbsent(name, Repository::readService);
    }

    private static Service readService(String name) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(ROOT.resolve(name + "/src/main/resources/application.properties"))) {
            properties.load(reader);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Set<String> topics = new LinkedHashSet<>();
        String group = null;
        String concurrencyVariable = null;
        int concurrency = 1;
        for (String key : properties.stringPropertyNames()) {
            if (!key.startsWith("mp.messaging.incoming.")) {
                continue;
            }
            String value = properties.getProperty(key);
            if (key.endsWith(".topics") || key.endsWith(".topic")) {
                Stream.of(value.split(",")).map(String::trim).forEach(topics::add);
            } else if (key.endsWith(".group.id")) {
                Matcher m = PLACEHOLDER_DEFAULT.matcher(value);
                group = m.matches() ? m.group(1) : value;
            } else if (key.endsWith(".concurrency")) {
                Matcher m = CONCURRENCY_VARIABLE.matcher(value);
                if (m.matches()) {
                    concurrencyVariable = m.group(1);
                    concurrency = Integer.parseInt(m.group(2));
                } else {
                    concurrency = Integer.parseInt(value.trim());
                }
            }
        }
        return new Service(name, topics, group, concurrencyVariable, concurrency, properties);
    }

    /** Topic name to the service that produces it, from the AsyncAPI document's x-producer. */
    static Map<String, String> producers() {
        return PRODUCERS;
    }

    private static final Map<String, String> PRODUCERS = readProducers();

    private static Map<String, String> readProducers() {
        try {
            JsonNode asyncApi = Kustomize.YAML.readTree(ROOT.resolve("contracts/src/main/resources/asyncapi.yaml").toFile());
            Map<String, String> producers = new LinkedHashMap<>();
            asyncApi.path("channels").forEach(channel -> {
                if (channel.has("x-producer") && !channel.path("address").asText().contains("{")) {
                    producers.put(channel.path("address").asText(), channel.path("x-producer").asText());
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
        try (Stream<Path> sources = Files.walk(ROOT)) {
            List<Path> javaFiles = sources.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/main/java/")).collect(Collectors.toList());
            Set<String> names = new TreeSet<>();
            for (Path file : javaFiles) {
                Matcher m = METER.matcher(Files.readString(file));
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
