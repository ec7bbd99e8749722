package dev.retention.eventing;

import io.smallrye.common.annotation.Identifier;
import io.smallrye.health.api.AsyncHealthCheck;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

import java.time.Duration;
import java.util.Map;

/**
 * Ready only while the broker answers, and answers fast: a probe must not hang on an unreachable broker (the stock
 * check waits for the admin client's one-minute default).
 */
@Readiness
@ApplicationScoped
public class KafkaReadinessCheck implements AsyncHealthCheck {

    private static final Duration TIMEOUT = Duration.ofSeconds(3);

    private final Admin admin;

    public KafkaReadinessCheck(@Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        Map<String, Object> settings = KafkaClientSettings.forClient(kafkaConfig, AdminClientConfig.configNames());
        settings.put(AdminClientConfig.CLIENT_ID_CONFIG, "readiness-check");
        this.admin = Admin.create(settings);
    }

    @Override
    public Uni<HealthCheckResponse> call() {
        return Uni.createFrom()
                .completionStage(() -> admin.describeCluster(new DescribeClusterOptions()
                        .timeoutMs((int) TIMEOUT.toMillis())).nodes().toCompletionStage())
                .map(nodes -> HealthCheckResponse.named("Kafka broker").up().withData("nodes", nodes.size()).build())
                .onFailure().recoverWithItem(failure -> HealthCheckResponse.named("Kafka broker").down()
                        .withData("reason", String.valueOf(failure.getMessage())).build());
    }

    @PreDestroy
    void close() {
        admin.close(Duration.ofSeconds(5));
    }
}
