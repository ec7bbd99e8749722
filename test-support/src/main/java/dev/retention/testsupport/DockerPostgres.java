package dev.retention.testsupport;

import org.testcontainers.DockerClientFactory;
import org.testcontainers.postgresql.PostgreSQLContainer;

/** The fallback where no PostgreSQL listens locally but a Docker engine answers. */
final class DockerPostgres {

    private DockerPostgres() {
    }

    static boolean dockerAvailable() {
        try {
            return DockerClientFactory.instance().isDockerAvailable();
        } catch (RuntimeException | LinkageError e) {
            return false;
        }
    }

    @SuppressWarnings("resource") // lives as long as the test JVM; Testcontainers' reaper removes it
    static TestDatabase.Server start() {
        PostgreSQLContainer container = new PostgreSQLContainer("postgres:15-alpine");
        container.start();
        return new TestDatabase.Server(container.getHost(), container.getMappedPort(5432), container.getUsername(),
                container.getPassword());
    }
}
