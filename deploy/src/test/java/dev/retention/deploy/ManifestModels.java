package dev.retention.deploy;

import static dev.retention.deploy.Shape.ANY;
import static dev.retention.deploy.Shape.fields;
import static dev.retention.deploy.Shape.listOf;
import static dev.retention.deploy.Shape.object;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Checks a rendered object against the published Java model of its kind: Kubernetes core objects against fabric8's
 * model, Prometheus Operator objects against fabric8's monitoring model, Strimzi objects against Strimzi's own API
 * model (the one its operator is built from). The models keep fields they do not know instead of failing, so this
 * walks the deserialized object and reports every unknown field, and every field Strimzi or Kubernetes deprecated
 * (Strimzi's v1 API drops them). Kinds without a Java model on Maven Central (KEDA, CloudNativePG) are checked against
 * a {@link Shape}.
 */
final class ManifestModels {

    private static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

    private static final Map<String, Class<?>> MODELS = Map.ofEntries(
            Map.entry("v1/ConfigMap", io.fabric8.kubernetes.api.model.ConfigMap.class),
            Map.entry("v1/Secret", io.fabric8.kubernetes.api.model.Secret.class),
            Map.entry("v1/Service", io.fabric8.kubernetes.api.model.Service.class),
            Map.entry("v1/Pod", io.fabric8.kubernetes.api.model.Pod.class),
            Map.entry("v1/ServiceAccount", io.fabric8.kubernetes.api.model.ServiceAccount.class),
            Map.entry("apps/v1/Deployment", io.fabric8.kubernetes.api.model.apps.Deployment.class),
            Map.entry("scheduling.k8s.io/v1/PriorityClass", io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass.class),
            Map.entry("policy/v1/PodDisruptionBudget", io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget.class),
            Map.entry("networking.k8s.io/v1/NetworkPolicy",
                    io.fabric8.kubernetes.api.model.networking.v1.NetworkPolicy.class),
            Map.entry("monitoring.coreos.com/v1/ServiceMonitor",
                    io.fabric8.openshift.api.model.monitoring.v1.ServiceMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PodMonitor", io.fabric8.openshift.api.model.monitoring.v1.PodMonitor.class),
            Map.entry("monitoring.coreos.com/v1/PrometheusRule",
                    io.fabric8.openshift.api.model.monitoring.v1.PrometheusRule.class),
            Map.entry("gateway.networking.k8s.io/v1/HTTPRoute",
                    io.fabric8.kubernetes.api.model.gatewayapi.v1.HTTPRoute.class),
            Map.entry("kafka.strimzi.io/v1/Kafka", io.strimzi.api.kafka.model.kafka.Kafka.class),
            Map.entry("kafka.strimzi.io/v1/KafkaNodePool", io.strimzi.api.kafka.model.nodepool.KafkaNodePool.class),
            Map.entry("kafka.strimzi.io/v1/KafkaTopic", io.strimzi.api.kafka.model.topic.KafkaTopic.class),
            Map.entry("kafka.strimzi.io/v1/KafkaUser", io.strimzi.api.kafka.model.user.KafkaUser.class));

    private static final Shape METADATA = fields("name", "namespace", "labels", "annotations");
    private static final Shape NAME_REF = object("name!", ANY);

    private static final Map<String, Shape> SHAPES = Map.of(
            "keda.sh/v1alpha1/ScaledObject", resource(object(
                    "scaleTargetRef!", object("name!", ANY, "kind", ANY, "apiVersion", ANY, "envSourceContainerName", ANY),
                    "minReplicaCount", ANY, "maxReplicaCount", ANY, "idleReplicaCount", ANY, "pollingInterval", ANY,
                    "cooldownPeriod", ANY, "initialCooldownPeriod", ANY, "fallback", ANY,
                    "advanced", object("restoreToOriginalReplicaCount", ANY, "scalingModifiers", ANY,
                            "horizontalPodAutoscalerConfig", fields("name", "behavior")),
                    "triggers!", listOf(object("type!", ANY, "name", ANY, "metricType", ANY, "useCachedMetrics", ANY,
                            "authenticationRef", object("name!", ANY, "kind", ANY),
                            "metadata!", fields("bootstrapServers", "consumerGroup", "topic", "lagThreshold",
                                    "activationLagThreshold", "offsetResetPolicy", "allowIdleConsumers",
                                    "scaleToZeroOnInvalidOffset", "excludePersistentLag", "limitToPartitionsWithLag",
                                    "ensureEvenDistributionOfPartitions", "version", "partitionLimitation", "sasl",
                                    "tls", "unsafeSsl"))))),
            "keda.sh/v1alpha1/TriggerAuthentication", resource(object(
                    "secretTargetRef", listOf(fields("parameter!", "name!", "key!")),
                    "configMapTargetRef", listOf(fields("parameter!", "name!", "key!")),
                    "env", ANY, "podIdentity", ANY)),
            "postgresql.cnpg.io/v1/Cluster", resource(object(
                    "instances!", ANY, "imageName", ANY, "imageCatalogRef", ANY, "description", ANY,
                    "minSyncReplicas", ANY, "maxSyncReplicas", ANY, "primaryUpdateStrategy", ANY,
                    "primaryUpdateMethod", ANY, "enableSuperuserAccess", ANY, "superuserSecret", ANY,
                    "storage!", fields("size!", "storageClass", "resizeInUseVolumes", "pvcTemplate"),
                    "walStorage", fields("size!", "storageClass", "resizeInUseVolumes", "pvcTemplate"),
                    "postgresql", fields("parameters", "pg_hba", "pg_ident", "synchronous", "shared_preload_libraries"),
                    "bootstrap", object("initdb", fields("database", "owner", "secret", "encoding", "localeCollate",
                            "localeCType", "dataChecksums", "postInitSQL", "postInitApplicationSQL"),
                            "recovery", ANY, "pg_basebackup", ANY),
                    "managed", object("services", ANY, "roles", listOf(object("name!", ANY, "ensure", ANY,
                            "login", ANY, "superuser", ANY, "createdb", ANY, "createrole", ANY, "inherit", ANY,
                            "replication", ANY, "bypassrls", ANY, "connectionLimit", ANY, "validUntil", ANY,
                            "inRoles", ANY, "comment", ANY, "disablePassword", ANY, "passwordSecret", NAME_REF))),
                    "affinity", fields("enablePodAntiAffinity", "topologyKey", "podAntiAffinityType", "nodeSelector",
                            "tolerations", "nodeAffinity", "additionalPodAffinity", "additionalPodAntiAffinity"),
                    "resources", fields("requests", "limits"),
                    "backup", object("volumeSnapshot", fields("className", "walClassName", "online",
                            "onlineConfiguration", "snapshotOwnerReference", "labels", "annotations"),
                            "barmanObjectStore", ANY, "retentionPolicy", ANY, "target", ANY),
                    "monitoring", ANY, "certificates", fields("serverCASecret", "serverTLSSecret", "replicationTLSSecret",
                            "clientCASecret", "serverAltDNSNames"), "inheritedMetadata", ANY,
                    "plugins", listOf(object("name!", ANY, "enabled", ANY, "isWALArchiver", ANY, "parameters", ANY)),
                    "priorityClassName", ANY, "topologySpreadConstraints", ANY, "env", ANY, "envFrom", ANY,
                    "logLevel", ANY, "startDelay", ANY, "stopDelay", ANY, "smartShutdownTimeout", ANY,
                    "switchoverDelay", ANY, "failoverDelay", ANY, "enablePDB", ANY, "nodeMaintenanceWindow", ANY)),
            "postgresql.cnpg.io/v1/Database", resource(object("name!", ANY, "owner!", ANY, "cluster!", NAME_REF,
                    "ensure", ANY, "databaseReclaimPolicy", ANY, "template", ANY, "encoding", ANY, "locale", ANY,
                    "allowConnections", ANY, "connectionLimit", ANY, "isTemplate", ANY, "tablespace", ANY,
                    "extensions", ANY, "schemas", ANY)),
            "postgresql.cnpg.io/v1/ScheduledBackup", resource(object("schedule!", ANY, "cluster!", NAME_REF,
                    "method", ANY, "backupOwnerReference", ANY, "immediate", ANY, "suspend", ANY, "target", ANY,
                    "online", ANY, "onlineConfiguration", ANY, "pluginConfiguration", object("name!", ANY,
                            "parameters", ANY))),
            "postgresql.cnpg.io/v1/Pooler", resource(object("cluster!", NAME_REF, "instances", ANY, "type", ANY,
                    "pgbouncer!", object("poolMode", ANY, "authQuerySecret", ANY, "authQuery", ANY, "paused", ANY,
                            "pg_hba", ANY, "parameters", fields("max_client_conn", "default_pool_size", "min_pool_size",
                                    "reserve_pool_size", "reserve_pool_timeout", "max_db_connections",
                                    "max_user_connections", "max_prepared_statements", "ignore_startup_parameters",
                                    "server_idle_timeout", "server_lifetime", "query_wait_timeout",
                                    "client_idle_timeout", "log_connections", "log_disconnections", "log_stats",
                                    "stats_period", "track_extra_parameters", "server_check_delay")),
                    "template", object("metadata", fields("labels", "annotations"), "spec", ANY),
                    "monitoring", ANY, "deploymentStrategy", ANY, "serviceTemplate", ANY)),
            // The Barman Cloud plugin's object store (barmancloud.cnpg.io/v1): the in-tree barmanObjectStore's fields.
            "barmancloud.cnpg.io/v1/ObjectStore", resource(object("retentionPolicy", ANY, "instanceSidecarConfiguration", ANY,
                    "configuration!", object("destinationPath!", ANY, "endpointURL", ANY, "endpointCA", ANY,
                            "serverName", ANY, "s3Credentials", object("accessKeyId", object("name!", ANY, "key!", ANY),
                                    "secretAccessKey", object("name!", ANY, "key!", ANY), "region", ANY,
                                    "sessionToken", ANY, "inheritFromIAMRole", ANY),
                            "azureCredentials", ANY, "googleCredentials", ANY, "tags", ANY, "historyTags", ANY,
                            "wal", fields("compression", "encryption", "maxParallel", "archiveAdditionalCommandArgs",
                                    "restoreAdditionalCommandArgs"),
                            "data", fields("compression", "encryption", "jobs", "immediateCheckpoint",
                                    "additionalCommandArgs")))));

    private ManifestModels() {
    }

    private static Shape resource(Shape spec) {
        return object("apiVersion!", ANY, "kind!", ANY, "metadata!", METADATA, "spec!", spec);
    }

    static String typeOf(JsonNode document) {
        return document.path("apiVersion").asText() + "/" + document.path("kind").asText();
    }

    /** Everything wrong with one rendered object, each naming the object and the field; empty when it is valid. */
    static List<String> violations(JsonNode document) {
        String type = typeOf(document);
        String name = type + " " + document.path("metadata").path("name").asText();
        List<String> violations = new ArrayList<>();
        if (SHAPES.containsKey(type)) {
            SHAPES.get(type).violations(document, "").forEach(v -> violations.add(name + ": " + v));
            return violations;
        }
        Class<?> model = MODELS.get(type);
        if (model == null) {
            return List.of(name + ": no model or shape for this kind (unexpected apiVersion or kind?)");
        }
        Object object;
        try {
            object = MAPPER.treeToValue(document, model);
        } catch (Exception e) {
            return List.of(name + ": does not match " + model.getSimpleName() + ": " + e.getMessage());
        }
        walk(object, "", name, violations);
        // A getter may be found twice (bridge methods), the field it reads is one.
        return violations.stream().distinct().collect(java.util.stream.Collectors.toList());
    }

    private static void walk(Object value, String path, String name, List<String> violations) {
        if (value == null) {
            return;
        }
        if (value instanceof Collection) {
            int i = 0;
            for (Object item : (Collection<?>) value) {
                walk(item, path + "[" + i++ + "]", name, violations);
            }
            return;
        }
        if (value instanceof Map) {
            for (Map.Entry<?, ?> entry : ((Map<?, ?>) value).entrySet()) {
                walk(entry.getValue(), path + "." + entry.getKey(), name, violations);
            }
            return;
        }
        String packageName = value.getClass().getPackageName();
        if (!packageName.startsWith("io.fabric8") && !packageName.startsWith("io.strimzi") || value.getClass().isEnum()) {
            return;
        }
        for (Method getter : value.getClass().getMethods()) {
            if (getter.getParameterCount() != 0 || Modifier.isStatic(getter.getModifiers())
                    || getter.getDeclaringClass() == Object.class
                    || !(getter.getName().startsWith("get") || getter.getName().startsWith("is"))) {
                continue;
            }
            Object field;
            try {
                field = getter.invoke(value);
            } catch (IllegalAccessException | InvocationTargetException e) {
                continue;
            }
            String property = path + "." + propertyName(getter);
            if (getter.getName().equals("getAdditionalProperties")) {
                if (field instanceof Map && !((Map<?, ?>) field).isEmpty()) {
                    ((Map<?, ?>) field).keySet().forEach(unknown -> violations.add(
                            name + ": " + path + "." + unknown + ": unknown field"));
                }
                continue;
            }
            if (getter.isAnnotationPresent(Deprecated.class) && isSet(field)) {
                violations.add(name + ": " + property + ": deprecated field");
            }
            walk(field, property, name, violations);
        }
    }

    private static boolean isSet(Object field) {
        return field != null && !(field instanceof Collection && ((Collection<?>) field).isEmpty())
                && !(field instanceof Map && ((Map<?, ?>) field).isEmpty());
    }

    private static String propertyName(Method getter) {
        String bare = getter.getName().substring(getter.getName().startsWith("is") ? 2 : 3);
        return bare.isEmpty() ? bare : Character.toLowerCase(bare.charAt(0)) + bare.substring(1);
    }
}
