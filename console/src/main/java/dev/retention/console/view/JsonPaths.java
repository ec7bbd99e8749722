package dev.retention.console.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A programme document as its leaves, each named by the JSON path the services use in their violations
 * ({@code $.tiers.levels[0].threshold}): the draft editor shows one input per leaf, the service's message lands at the
 * input of the path it names, and the diff lists the paths that differ.
 */
public final class JsonPaths {

    private static final Pattern PLAIN_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_-]*");
    private static final Pattern STEP = Pattern.compile("\\.([A-Za-z_][A-Za-z0-9_-]*)|\\[(\\d+)]|\\['((?:[^'\\\\]|\\\\.)*)']");

    private JsonPaths() {
    }

    /** A leaf: its path, its value as text (null for JSON null) and its JSON kind. */
    public record Leaf(String path, String value, Kind kind) {
    }

    public enum Kind { TEXT, NUMBER, BOOLEAN, NULL }

    /** A path that differs between two documents, with each side's value as JSON (null where absent). */
    public record Change(String path, String before, String after) {
    }

    /** Every scalar of the document in document order; empty objects and arrays have none. */
    public static List<Leaf> leaves(JsonNode document) {
        List<Leaf> leaves = new ArrayList<>();
        collect("$", document, leaves);
        return leaves;
    }

    private static void collect(String path, JsonNode node, List<Leaf> leaves) {
        if (node.isObject()) {
            node.fields().forEachRemaining(e -> collect(child(path, e.getKey()), e.getValue(), leaves));
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                collect(path + "[" + i + "]", node.get(i), leaves);
            }
        } else if (node.isNull()) {
            leaves.add(new Leaf(path, null, Kind.NULL));
        } else if (node.isBoolean()) {
            leaves.add(new Leaf(path, Boolean.toString(node.booleanValue()), Kind.BOOLEAN));
        } else if (node.isNumber()) {
            leaves.add(new Leaf(path, node.decimalValue().toPlainString(), Kind.NUMBER));
        } else {
            leaves.add(new Leaf(path, node.asText(), Kind.TEXT));
        }
    }

    /** The path of a member: {@code $.a.b}, or {@code $['odd key']} where the key is not a plain name. */
    public static String child(String path, String key) {
        return PLAIN_KEY.matcher(key).matches() ? path + "." + key
                : path + "['" + key.replace("\\", "\\\\").replace("'", "\\'") + "']";
    }

    /**
     * The document with the leaf at {@code path} set from the text a form sent, keeping the leaf's JSON kind: a number
     * stays a number where the text is one (else the text goes as it is, for the service to name), a boolean a boolean;
     * a null leaf left blank stays null. Paths the document does not have are ignored: the form cannot add structure.
     */
    public static void set(JsonNode document, String path, String text) {
        List<Object> steps = steps(path);
        if (steps.isEmpty()) {
            return;
        }
        JsonNode parent = document;
        for (int i = 0; i < steps.size() - 1; i++) {
            parent = step(parent, steps.get(i));
            if (parent == null) {
                return;
            }
        }
        Object last = steps.get(steps.size() - 1);
        JsonNode current = step(parent, last);
        if (current == null || current.isContainerNode()) {
            return;
        }
        JsonNode value = typed(current, text);
        if (parent instanceof ObjectNode object && last instanceof String key) {
            object.set(key, value);
        } else if (parent instanceof ArrayNode array && last instanceof Integer index) {
            array.set(index, value);
        }
    }

    private static JsonNode typed(JsonNode current, String text) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        if (text == null) {
            return current;
        }
        if (current.isNull()) {
            return text.isBlank() ? current : nodes.textNode(text);
        }
        if (current.isBoolean()) {
            return "true".equals(text) ? nodes.booleanNode(true) : "false".equals(text) ? nodes.booleanNode(false)
                    : nodes.textNode(text);
        }
        if (current.isNumber()) {
            try {
                BigDecimal number = new BigDecimal(text.strip());
                return number.scale() <= 0 && current.isIntegralNumber()
                        ? nodes.numberNode(number.toBigIntegerExact()) : nodes.numberNode(number);
            } catch (NumberFormatException | ArithmeticException notANumber) {
                return nodes.textNode(text);
            }
        }
        return nodes.textNode(text);
    }

    /** The paths where two documents differ, in the order of their union of paths. */
    public static List<Change> diff(JsonNode before, JsonNode after) {
        Map<String, String> left = flat(before);
        Map<String, String> right = flat(after);
        TreeSet<String> seen = new TreeSet<>();
        List<Change> changes = new ArrayList<>();
        List<String> order = new ArrayList<>(left.keySet());
        right.keySet().stream().filter(p -> !left.containsKey(p)).forEach(order::add);
        for (String path : order) {
            if (!seen.add(path)) {
                continue;
            }
            String a = left.get(path);
            String b = right.get(path);
            if (a == null ? b != null : !a.equals(b)) {
                changes.add(new Change(path, a, b));
            }
        }
        return changes;
    }

    /** Leaves and empty containers as JSON text by path (numbers compared by value: 2 and 2.0 are equal). */
    private static Map<String, String> flat(JsonNode document) {
        Map<String, String> flat = new LinkedHashMap<>();
        flatten("$", document, flat);
        return flat;
    }

    private static void flatten(String path, JsonNode node, Map<String, String> flat) {
        if (node.isObject() && !node.isEmpty()) {
            node.fields().forEachRemaining(e -> flatten(child(path, e.getKey()), e.getValue(), flat));
        } else if (node.isArray() && !node.isEmpty()) {
            for (int i = 0; i < node.size(); i++) {
                flatten(path + "[" + i + "]", node.get(i), flat);
            }
        } else if (node.isNumber()) {
            flat.put(path, node.decimalValue().stripTrailingZeros().toPlainString());
        } else {
            flat.put(path, node.toString());
        }
    }

    static List<Object> steps(String path) {
        if (!path.startsWith("$")) {
            return List.of();
        }
        List<Object> steps = new ArrayList<>();
        Matcher matcher = STEP.matcher(path);
        int at = 1;
        while (at < path.length()) {
            if (!matcher.find(at) || matcher.start() != at) {
                return List.of();
            }
            if (matcher.group(1) != null) {
                steps.add(matcher.group(1));
            } else if (matcher.group(2) != null) {
                steps.add(Integer.parseInt(matcher.group(2)));
            } else {
                steps.add(matcher.group(3).replace("\\'", "'").replace("\\\\", "\\"));
            }
            at = matcher.end();
        }
        return steps;
    }

    private static JsonNode step(JsonNode node, Object step) {
        if (step instanceof String key && node.isObject()) {
            return node.get(key);
        }
        if (step instanceof Integer index && node.isArray() && index < node.size()) {
            return node.get(index);
        }
        return null;
    }
}
