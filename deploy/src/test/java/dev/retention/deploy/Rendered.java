package dev.retention.deploy;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import com.fasterxml.jackson.databind.JsonNode;

/** The objects one overlay renders to, looked up by kind and name. */
record Rendered(String overlay, List<JsonNode> objects) {

    List<JsonNode> ofKind(String kind) {
        return objects.stream().filter(o -> o.path("kind").asText().equals(kind)).collect(Collectors.toList());
    }

    Optional<JsonNode> find(String kind, String name) {
        return ofKind(kind).stream().filter(o -> name(o).equals(name)).findFirst();
    }

    JsonNode get(String kind, String name) {
        return find(kind, name).orElseThrow(() -> new AssertionError(overlay + ": no " + kind + " " + name));
    }

    /** A generated ConfigMap by the name it was declared with (kustomize appends a content hash). */
    Optional<JsonNode> configMapDeclaredAs(String declaredName) {
        return find("ConfigMap", declaredName).or(() -> ofKind("ConfigMap").stream()
                .filter(o -> name(o).matches(Pattern.quote(declaredName) + "-[a-z0-9]{10}"))
                .findFirst());
    }

    /** Every variable a Deployment's container gets: from env and from the ConfigMaps of envFrom. */
    Map<String, String> environment(JsonNode container) {
        Map<String, String> environment = new TreeMap<>();
        for (JsonNode source : container.path("envFrom")) {
            String configMap = source.path("configMapRef").path("name").asText();
            find("ConfigMap", configMap).ifPresent(c -> c.path("data").fields()
                    .forEachRemaining(e -> environment.put(e.getKey(), e.getValue().asText())));
        }
        for (JsonNode variable : container.path("env")) {
            environment.put(variable.path("name").asText(),
                    variable.has("value") ? variable.path("value").asText() : "<from " + variable.path("valueFrom") + ">");
        }
        return environment;
    }

    static String name(JsonNode object) {
        return object.path("metadata").path("name").asText();
    }

    static List<JsonNode> list(JsonNode array) {
        return StreamSupport.stream(array.spliterator(), false).collect(Collectors.toList());
    }

    static Map<String, String> labels(JsonNode labels) {
        Map<String, String> map = new TreeMap<>();
        labels.fields().forEachRemaining(e -> map.put(e.getKey(), e.getValue().asText()));
        return map;
    }
}
