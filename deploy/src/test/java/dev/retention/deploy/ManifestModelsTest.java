package dev.retention.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;

/** The checker finds what an operator would otherwise learn from a silently ignored field. */
class ManifestModelsTest {

    private static JsonNode yaml(String text) throws Exception {
        return Kustomize.YAML.readTree(text);
    }

    @Test
    void aValidDeploymentPasses() throws Exception {
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {app: d}}
                  template:
                    metadata: {labels: {app: d}}
                    spec:
                      containers:
                        - name: app
                          image: x:1
                          readinessProbe: {httpGet: {path: /q/health/ready, port: http}}
                          resources: {limits: {memory: 512Mi}}
                """))).isEmpty();
    }

    @Test
    void aMisspeltKubernetesFieldIsReportedWithItsPath() throws Exception {
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: d}
                spec:
                  selector: {matchLabels: {app: d}}
                  template:
                    spec:
                      containers:
                        - name: app
                          readinesProbe: {httpGet: {path: /q/health/ready, port: http}}
                """))).singleElement().asString()
                .contains("Deployment d").contains("containers[0].readinesProbe: unknown field");
    }

    @Test
    void aFieldOfTheWrongTypeIsReported() throws Exception {
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaTopic
                metadata: {name: orders}
                spec: {partitions: many}
                """))).singleElement().asString().contains("does not match KafkaTopic");
    }

    @Test
    void aStrimziFieldThatTheV1ApiDroppedIsReported() throws Exception {
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: kafka.strimzi.io/v1
                kind: KafkaUser
                metadata: {name: u}
                spec:
                  authentication: {type: tls}
                  authorization:
                    type: simple
                    acls:
                      - resource: {type: topic, name: orders}
                        operation: Read
                """))).singleElement().asString().contains("operation: deprecated field");
    }

    @Test
    void anOlderStrimziApiVersionIsNotAccepted() throws Exception {
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: kafka.strimzi.io/v1beta2
                kind: KafkaTopic
                metadata: {name: orders}
                spec: {partitions: 1}
                """))).singleElement().asString().contains("no model or shape");
    }

    @Test
    void customResourcesWithoutAJavaModelAreCheckedAgainstTheirShape() throws Exception {
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: keda.sh/v1alpha1
                kind: ScaledObject
                metadata: {name: s}
                spec:
                  scaleTargetRef: {name: s}
                  maxReplicas: 4
                  triggers:
                    - type: kafka
                      metadata: {bootstrapServers: k:9093, consumerGroup: g, lagTreshold: "10"}
                """))).containsExactlyInAnyOrder(
                "keda.sh/v1alpha1/ScaledObject s: .spec.maxReplicas: unknown field",
                "keda.sh/v1alpha1/ScaledObject s: .spec.triggers[0].metadata.lagTreshold: unknown field");
        assertThat(ManifestModels.violations(yaml("""
                apiVersion: postgresql.cnpg.io/v1
                kind: Database
                metadata: {name: d}
                spec: {name: app, cluster: {name: db}}
                """))).containsExactly("postgresql.cnpg.io/v1/Database d: .spec.owner: required");
    }
}
