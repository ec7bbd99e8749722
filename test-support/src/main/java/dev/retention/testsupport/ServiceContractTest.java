package dev.retention.testsupport;

import io.quarkus.test.common.http.TestHTTPResource;
import io.restassured.RestAssured;
import io.restassured.response.Response;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URL;
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
 * metrics (both on the management interface only), its schema migrated. A service's test extends this with
 * {@code @QuarkusTest} and the test resource.
 */
public abstract class ServiceContractTest {

    @TestHTTPResource(value = "/", management = true)
    URL management;

    @Inject
    Pool pool;

    /** The service's migrations must have created these tables besides the eventing kit's. */
    protected abstract List<String> ownTables();

    @Test
    void isLive() {
        onManagement("/q/health/live").then().statusCode(200);
    }

    @Test
    void servesHealthAndMetricsOnTheManagementInterfaceOnly() {
        for (String path : List.of("/q/health", "/q/health/live", "/q/health/ready", "/q/metrics")) {
            assertThat(RestAssured.get(path).statusCode()).as("API port, %s", path).isEqualTo(404);
            assertThat(onManagement(path).statusCode()).as("management port, %s", path).isEqualTo(200);
        }
    }

    @Test
    void refusesAnOversizedBodyBeforeReadingItWithProblemDetails() {
        byte[] body = new byte[100 * 1024];
        java.util.Arrays.fill(body, (byte) ' ');

        Response refused = RestAssured.given().contentType("application/json").body(body).post("/customers/c-1/any");

        assertThat(refused.statusCode()).isEqualTo(413);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.jsonPath().getString("code")).isEqualTo("PAYLOAD_TOO_LARGE");
    }

    @Test
    void describesItsApiAsJsonWhenAskedForAndAsYamlOtherwise() {
        List<Response> asJson = List.of(RestAssured.given().accept("application/json").get("/q/openapi"),
                RestAssured.get("/q/openapi?format=json"), RestAssured.get("/q/openapi.json"));
        for (Response json : asJson) {
            assertThat(json.statusCode()).isEqualTo(200);
            assertThat(json.contentType()).startsWith("application/json");
            assertThat(json.jsonPath().getString("openapi")).startsWith("3.");
            assertThat(json.jsonPath().getMap("paths")).isNotEmpty();
        }

        Response yaml = RestAssured.get("/q/openapi");
        assertThat(yaml.statusCode()).isEqualTo(200);
        assertThat(yaml.contentType()).startsWith("application/yaml");
        assertThat(yaml.asString()).contains("openapi: 3.");
    }

    @Test
    void servesSwaggerUiOnTheApiPortWhenSwitchedOn() {
        // Off unless SWAGGER_UI_ENABLED=true (the eventing kit's defaults); the tests and the local run switch it on.
        assertThat(ConfigProvider.getConfig().getConfigSources())
                .filteredOn(source -> source.getName().contains("microprofile-config.properties")
                        && source.getValue("quarkus.swagger-ui.enabled") != null)
                .extracting(source -> source.getValue("quarkus.swagger-ui.enabled"))
                .contains("${SWAGGER_UI_ENABLED:false}");
        assertThat(ConfigProvider.getConfig().getValue("quarkus.swagger-ui.enabled", Boolean.class)).isTrue();

        Response ui = RestAssured.get("/q/swagger-ui/");

        assertThat(ui.statusCode()).isEqualTo(200);
        assertThat(ui.contentType()).startsWith("text/html");
        assertThat(ui.asString()).containsIgnoringCase("swagger");
    }

    @Test
    void isReadyWhenKafkaAndTheDatabaseAnswer() {
        Response ready = onManagement("/q/health/ready");

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
                    .until(() -> onManagement("/q/health/ready").statusCode() == 503);
        } finally {
            TestKafka.broker().start();
        }
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> onManagement("/q/health/ready").statusCode() == 200);
    }

    @Test
    void exposesPrometheusMetrics() {
        String metrics = onManagement("/q/metrics").then().statusCode(200).extract().asString();

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
            assertThat(names)
                    .contains("eventing_inbox", "eventing_outbox", "eventing_outbox_batch", "flyway_schema_history")
                    .containsAll(ownTables());
        }
    }

    @Test
    void plansEachStatementForItsOwnArgumentsAndPrefersIndexProbes() {
        // A generic plan cached while the tables were small outlives their growth; with the default page costs a
        // batch's update hashes the whole table (the eventing kit's META-INF/microprofile-config.properties).
        assertThat(setting("plan_cache_mode")).isEqualTo("force_custom_plan");
        assertThat(setting("random_page_cost")).isEqualTo("1.1");
    }

    @Test
    void runsTheKafkaConnectorWithoutPerRecordTracing() {
        // No tracer runs in the services (the eventing kit's META-INF/microprofile-config.properties).
        assertThat(ConfigProvider.getConfig().getValue("mp.messaging.connector.smallrye-kafka.tracing-enabled",
                Boolean.class)).isFalse();
    }

    private String setting(String name) {
        return pool.query("SHOW " + name).execute().await().atMost(Duration.ofSeconds(10)).iterator().next()
                .getString(0);
    }

    /** A GET on the service's management interface (health, metrics); {@code path} from the root, e.g. /q/health. */
    protected Response onManagement(String path) {
        return RestAssured.get(URI.create(management.toString()).resolve(path));
    }
}
