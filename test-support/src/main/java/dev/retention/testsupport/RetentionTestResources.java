package dev.retention.testsupport;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.Map;

/**
 * Wires a real Kafka broker, a fresh PostgreSQL database and the test token issuer into a service's
 * {@code @QuarkusTest}:
 * {@code @QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)} or on a
 * test profile. The broker is shared by the test JVM; the database is new for each application start.
 */
public class RetentionTestResources implements QuarkusTestResourceLifecycleManager {

    private TestDatabase database;
    private String databasePrefix = "retention_test";

    @Override
    public void init(Map<String, String> initArgs) {
        databasePrefix = initArgs.getOrDefault("database-prefix", databasePrefix);
    }

    @Override
    public Map<String, String> start() {
        String bootstrapServers = TestKafka.bootstrapServers();
        database = TestDatabase.create(databasePrefix);
        Map<String, String> config = new java.util.HashMap<>(Map.of(
                "kafka.bootstrap.servers", bootstrapServers,
                "quarkus.datasource.jdbc.url", database.jdbcUrl(),
                "quarkus.datasource.reactive.url", database.reactiveUrl(),
                "quarkus.datasource.username", database.username(),
                "quarkus.datasource.password", database.password()));
        // The APIs verify tokens signed with this test JVM's key (Tokens, Api).
        config.putAll(Tokens.forTests().serviceConfig());
        return config;
    }

    @Override
    public void stop() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
