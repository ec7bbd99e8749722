package dev.retention.security;

import dev.retention.bench.ServiceProcess;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.TierChanged;
import dev.retention.kafka.KafkaBroker;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.TestCertificates;
import dev.retention.testsupport.TestDatabase;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Kafka security as the Kubernetes manifests configure it (docs/deployment.md): a broker whose listener speaks TLS
 * and requires a client certificate, and a packaged service given only the manifests' variables (cluster CA as PEM,
 * its certificate as PKCS12 with a password). It starts, consumes and publishes over that listener; a client
 * without a certificate gets nothing.
 */
class KafkaClientCertificatesTest {

    @Test
    void aServiceConfiguredLikeTheManifestsWorksOverMutualTlsAndAClientWithoutCertificateIsRefused() throws Exception {
        TestCertificates certificates = TestCertificates.authority(Path.of("target/kafka-tls-"
                + UUID.randomUUID().toString().substring(0, 8)));
        KafkaBroker.Tls tls = new KafkaBroker.Tls(certificates.keyStore("kafka-broker"), certificates.password(),
                certificates.caCertificate());
        Path serviceCertificate = certificates.keyStore("tier-service");
        Path shopCertificate = certificates.keyStore("shop-platform");
        try (KafkaBroker broker = KafkaBroker.builder().tls(tls).maxHeap("256m").build().start();
             TestDatabase database = TestDatabase.create("retention_tls")) {
            String bootstrap = broker.tlsBootstrapServers();
            try (KafkaTestClient operator = new KafkaTestClient(broker.bootstrapServers())) {
                operator.createTopics(3, Topics.ORDERS, Topics.LOYALTY_TIER_CHANGES,
                        Topics.deadLetterTopic(Topics.ORDERS, "tier-service"));
            }
            // Exactly the variables the manifests set (deploy/k8s/base/kustomization.yaml, the Deployments).
            Map<String, String> manifestSettings = Map.of(
                    "KAFKA_BOOTSTRAP_SERVERS", bootstrap,
                    "KAFKA_SECURITY_PROTOCOL", "SSL",
                    "KAFKA_SSL_TRUSTSTORE_TYPE", "PEM",
                    "KAFKA_SSL_TRUSTSTORE_LOCATION", certificates.caCertificate().toAbsolutePath().toString(),
                    "KAFKA_SSL_KEYSTORE_TYPE", "PKCS12",
                    "KAFKA_SSL_KEYSTORE_LOCATION", serviceCertificate.toAbsolutePath().toString(),
                    "KAFKA_SSL_KEYSTORE_PASSWORD", certificates.password());
            Map<String, Object> shopSettings = Map.of(
                    "security.protocol", "SSL",
                    "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", certificates.caCertificate().toAbsolutePath().toString(),
                    "ssl.keystore.type", "PKCS12",
                    "ssl.keystore.location", shopCertificate.toAbsolutePath().toString(),
                    "ssl.keystore.password", certificates.password());

            // Ready means the service reached the broker: its readiness check asks the broker.
            try (ServiceProcess tiers = ServiceProcess.start(Path.of("..").toAbsolutePath().normalize(),
                    "tier-service", List.of("-Xmx128m"), broker, database, manifestSettings);
                 KafkaTestClient shop = new KafkaTestClient(bootstrap, shopSettings)) {
                String customer = "c-" + UUID.randomUUID();
                shop.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).line("sofa", 1, "900.00").build());

                List<TierChanged> changes = List.of();
                long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
                while (changes.isEmpty() && System.nanoTime() < deadline) {
                    changes = tierChanges(shop, customer);
                    Thread.sleep(500);
                }
                assertThat(changes).as("tier.changed published over TLS").singleElement()
                        .satisfies(change -> assertThat(change.toTier()).isEqualTo("silver"));
            }

            Map<String, Object> noCertificate = Map.of("bootstrap.servers", bootstrap,
                    "security.protocol", "SSL",
                    "ssl.truststore.type", "PEM",
                    "ssl.truststore.location", certificates.caCertificate().toAbsolutePath().toString(),
                    "request.timeout.ms", 5000, "default.api.timeout.ms", 10000);
            try (Admin anonymous = Admin.create(noCertificate)) {
                assertThatThrownBy(() -> anonymous.describeCluster().clusterId().get(15, TimeUnit.SECONDS))
                        .isInstanceOf(ExecutionException.class)
                        .hasRootCauseInstanceOf(javax.net.ssl.SSLException.class);
            }
        }
    }

    private static List<TierChanged> tierChanges(KafkaTestClient client, String customer) {
        EventDecoder decoder = new EventDecoder();
        return client.readAll(Topics.LOYALTY_TIER_CHANGES).stream().filter(r -> customer.equals(r.key()))
                .map(r -> decoder.decode(Topics.LOYALTY_TIER_CHANGES, r.key(), r.value(), Map.of()))
                .filter(DecodeResult.Decoded.class::isInstance)
                .map(d -> ((DecodeResult.Decoded) d).event().data())
                .filter(TierChanged.class::isInstance).map(TierChanged.class::cast).toList();
    }
}
