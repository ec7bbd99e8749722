package dev.retention.deploy;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The structure of a custom resource that has no Java model on Maven Central (KEDA, CloudNativePG): the fields it may
 * have, which of them are required ("name!"), nested. Enough to catch a misspelt or misplaced field, which the
 * operator would otherwise drop without a word.
 */
final class Shape {

    static final Shape ANY = new Shape(null, null);

    private final Map<String, Shape> fields;
    private final Shape items;

    private Shape(Map<String, Shape> fields, Shape items) {
        this.fields = fields;
        this.items = items;
    }

    /** Pairs of field name (a trailing "!" marks it required) and shape. */
    static Shape object(Object... namesAndShapes) {
        Map<String, Shape> fields = new LinkedHashMap<>();
        for (int i = 0; i < namesAndShapes.length; i += 2) {
            fields.put((String) namesAndShapes[i], (Shape) namesAndShapes[i + 1]);
        }
        return new Shape(fields, null);
    }

    /** Fields whose values may be anything. */
    static Shape fields(String... names) {
        Object[] pairs = new Object[names.length * 2];
        for (int i = 0; i < names.length; i++) {
            pairs[2 * i] = names[i];
            pairs[2 * i + 1] = ANY;
        }
        return object(pairs);
    }

    static Shape listOf(Shape items) {
        return new Shape(null, items);
    }

    List<String> violations(JsonNode node, String path) {
        List<String> violations = new ArrayList<>();
        if (items != null) {
            if (!node.isArray()) {
                violations.add(path + ": expected a list");
            } else {
                for (int i = 0; i < node.size(); i++) {
                    violations.addAll(items.violations(node.get(i), path + "[" + i + "]"));
                }
            }
        } else if (fields != null) {
            if (!node.isObject()) {
                violations.add(path + ": expected an object");
                return violations;
            }
            for (Map.Entry<String, Shape> field : fields.entrySet()) {
                String name = field.getKey();
                if (name.endsWith("!") && !node.has(name.substring(0, name.length() - 1))) {
                    violations.add(path + "." + name.substring(0, name.length() - 1) + ": required");
                }
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> present = it.next();
                Shape shape = fields.containsKey(present.getKey()) ? fields.get(present.getKey())
                        : fields.get(present.getKey() + "!");
                if (shape == null) {
                    violations.add(path + "." + present.getKey() + ": unknown field");
                } else {
                    violations.addAll(shape.violations(present.getValue(), path + "." + present.getKey()));
                }
            }
        }
        return violations;
    }
}
