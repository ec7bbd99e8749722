package dev.retention.testsupport;

import io.restassured.RestAssured;
import io.restassured.response.Response;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What every service of the platform does the same way: health, readiness on Kafka and the database, Prometheus
 * metrics, its schema migrated. A service's test extends this with {@code @QuarkusTest} and the test resource.
 */
public abstract class ServiceContractTest {

    /** The service's migrations must have created these tables besides the eventing kit's. */
    protected abstract List<String> ownTables();

    @Test
    void isLive() {
        RestAssured.get("/q/health/live").then().statusCode(200);
    }

    @Test
    void isReadyWhenKafkaAndTheDatabaseAnswer() {
        Response ready = RestAssured.get("/q/health/ready");

        assertThat(ready.statusCode()).isEqualTo(200);
        List<String> checks = ready.jsonPath().getList("checks.name");
        assertThat(checks).anySatisfy(name -> assertThat(name).containsIgnoringCase("kafka"));
        assertThat(checks).anySatisfy(name -> assertThat(name).containsIgnoringCase("database"));
        assertThat(ready.jsonPath().getList("checks.status")).containsOnly("UP");
    }

    @Test
    void isNotReadyWhileTheBrokerIsDown() {
        TestKafka.broker().stop();
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> RestAssured.get("/q/health/ready").statusCode() == 503);
        } finally {
            TestKafka.broker().start();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> RestAssured.get("/q/health/ready").statusCode() == 200);
    }

    @Test
    void exposesPrometheusMetrics() {
        String metrics = RestAssured.get("/q/metrics").then().statusCode(200).extract().asString();

        assertThat(metrics).contains("# TYPE").contains("jvm_memory_used_bytes");
    }

    @Test
    void migratesItsOwnSchema() throws Exception {
        Config config = ConfigProvider.getConfig();
        try (Connection connection = DriverManager.getConnection(
                config.getValue("quarkus.datasource.jdbc.url", String.class),
                config.getValue("quarkus.datasource.username", String.class),
                config.getOptionalValue("quarkus.datasource.password", String.class).orElse(""));
             Statement statement = connection.createStatement();
             ResultSet tables = statement.executeQuery(
                     "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")) {
            List<String> names = new ArrayList<>();
            while (tables.next()) {
                names.add(tables.getString(1));
            }
            assertThat(names).contains("eventing_inbox", "eventing_outbox", "flyway_schema_history")
                    .containsAll(ownTables());
        }
    }
}
