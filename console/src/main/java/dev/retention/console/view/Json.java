package dev.retention.console.view;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** JSON nodes as the values templates and charts work with. */
public final class Json {

    private Json() {
    }

    /** A scalar as its Java value, a container as itself, missing or null as null. */
    public static Object value(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isTextual()) {
            return node.textValue();
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        if (node.isArray() && !node.isEmpty() && allScalars(node)) {
            // Iterated as values, so that each is written as text (gold), escaped like any value, not as JSON ("gold").
            List<Object> values = new ArrayList<>();
            node.forEach(element -> values.add(value(element)));
            return values;
        }
        return node;
    }

    private static boolean allScalars(JsonNode array) {
        for (JsonNode element : array) {
            if (element.isContainerNode()) {
                return false;
            }
        }
        return true;
    }

    /** An object's members in their order, as (key, value) pairs: {@code {#for e in node.fields}{e.key}{/for}}. */
    public static List<Map.Entry<String, Object>> entries(JsonNode node) {
        List<Map.Entry<String, Object>> entries = new ArrayList<>();
        node.fields().forEachRemaining(e -> entries.add(new java.util.AbstractMap.SimpleImmutableEntry<>(e.getKey(),
                value(e.getValue()))));
        return entries;
    }
}
