package dev.retention.testsupport.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.testsupport.schema.JsonSchemaArbitraries.SchemaRef;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Turns a valid document into invalid ones, one fault each, walking the document next to its schema: a member of the
 * wrong JSON type, a required member missing, a number out of range, a string too long or too short or off its
 * pattern (an amount with too many decimals), a value outside its enum, too few items. Each names the field as a reader
 * of the document would ({@code $.data.lines[0].unitPrice} under the root {@code $.data}, {@code orderValue.amount}
 * under the root "").
 */
public final class SchemaMutations {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final JsonSchemaArbitraries schemas;

    public SchemaMutations(JsonSchemaArbitraries schemas) {
        this.schemas = schemas;
    }

    /** One fault: what was done, where, and the document with it. */
    public record Mutation(String kind, String field, JsonNode document) {
        @Override
        public String toString() {
            return kind + " at " + field + ": " + document;
        }
    }

    /** Every single-fault mutation of {@code valid} (never empty for a schema with a constrained member). */
    public List<Mutation> of(String document, String pointer, JsonNode valid, String root) {
        return sites(document, pointer, valid, root).stream().map(site -> site.apply(valid)).toList();
    }

    /**
     * The mutation numbered {@code choice} (modulo their count) among {@code valid}'s. For a property that draws the
     * number beside the document: cheaper than a flatMap to an arbitrary of mutations, and it shrinks to the first
     * fault.
     */
    public Mutation choose(String document, String pointer, JsonNode valid, String root, int choice) {
        List<Site> sites = nonEmptySites(document, pointer, valid, root);
        return sites.get(Math.floorMod(choice, sites.size())).apply(valid);
    }

    private List<Site> nonEmptySites(String document, String pointer, JsonNode valid, String root) {
        List<Site> sites = sites(document, pointer, valid, root);
        if (sites.isEmpty()) {
            throw new IllegalStateException("no way to make " + valid + " invalid against " + document + pointer);
        }
        return sites;
    }

    private List<Site> sites(String document, String pointer, JsonNode valid, String root) {
        List<Site> sites = new ArrayList<>();
        walk(schemas.schemaAt(document, pointer), valid, root, new ArrayList<>(), sites);
        return sites;
    }

    /** Where a change goes: the steps to the container (names and indexes), what to do there, and its field name. */
    private record Site(String kind, String field, List<Object> steps, Consumer<JsonNode> change) {

        Mutation apply(JsonNode valid) {
            JsonNode copy = valid.deepCopy();
            change.accept(locate(copy, steps));
            return new Mutation(kind, field, copy);
        }
    }

    private void walk(SchemaRef ref, JsonNode value, String field, List<Object> steps, List<Site> sites) {
        SchemaRef resolved = schemas.dereference(ref);
        JsonNode schema = resolved.schema();
        if (schema.isBoolean()) {
            return;
        }
        if (schema.has("anyOf")) {
            // Faults of the branch the value is of (a Money object, not the null beside it); none in a null.
            for (JsonNode branch : schema.get("anyOf")) {
                SchemaRef candidate = schemas.dereference(new SchemaRef(resolved.document(), branch));
                if (!value.isNull() && JsonSchemaArbitraries.types(candidate.schema()).contains(jsonType(value))) {
                    walk(candidate, value, field, steps, sites);
                    return;
                }
            }
            return;
        }
        List<Object> parent = steps.isEmpty() ? null : steps.subList(0, steps.size() - 1);
        Object last = steps.isEmpty() ? null : steps.get(steps.size() - 1);
        if (parent != null) {
            JsonNode wrong = wrongType(JsonSchemaArbitraries.types(schema), value);
            if (wrong != null && !schema.has("enum") && !schema.has("const")) {
                sites.add(new Site("wrong JSON type (" + wrong.getNodeType().name().toLowerCase() + ")", field,
                        parent, container -> replace(container, last, wrong)));
            }
            valueFaults(schema, value).forEach((kind, bad) -> sites.add(new Site(kind, field, parent,
                    container -> replace(container, last, bad))));
        }
        if (value.isObject()) {
            for (JsonNode name : schema.path("required")) {
                String member = name.textValue();
                if (value.has(member)) {
                    sites.add(new Site("required member missing", join(field, member), steps,
                            container -> ((ObjectNode) container).remove(member)));
                }
            }
            JsonNode properties = schema.path("properties");
            JsonNode additional = schema.get("additionalProperties");
            Iterator<Map.Entry<String, JsonNode>> members = value.fields();
            while (members.hasNext()) {
                Map.Entry<String, JsonNode> member = members.next();
                JsonNode memberSchema = properties.has(member.getKey()) ? properties.get(member.getKey())
                        : additional != null && additional.isObject() ? additional : null;
                if (memberSchema != null) {
                    List<Object> next = new ArrayList<>(steps);
                    next.add(member.getKey());
                    walk(new SchemaRef(resolved.document(), memberSchema), member.getValue(),
                            join(field, member.getKey()), next, sites);
                }
            }
        } else if (value.isArray() && schema.has("items")) {
            for (int i = 0; i < value.size(); i++) {
                List<Object> next = new ArrayList<>(steps);
                next.add(i);
                walk(new SchemaRef(resolved.document(), schema.get("items")), value.get(i), field + "[" + i + "]",
                        next, sites);
            }
        }
    }

    /** Values of the right JSON type that break one of the schema's other constraints, by what they break. */
    private static Map<String, JsonNode> valueFaults(JsonNode schema, JsonNode value) {
        Map<String, JsonNode> faults = new java.util.LinkedHashMap<>();
        if (schema.has("enum")) {
            faults.put("value outside the enum", NODES.textNode("not-a-listed-value"));
        }
        JsonSchemaArbitraries.excluded(schema).stream().findFirst()
                .ifPresent(excluded -> faults.put("a value the schema excludes", excluded));
        if (value.isIntegralNumber()) {
            if (schema.has("maximum")) {
                faults.put("above the maximum", NODES.numberNode(schema.get("maximum").decimalValue().add(java.math.BigDecimal.ONE)));
            }
            if (schema.has("minimum")) {
                faults.put("below the minimum", NODES.numberNode(schema.get("minimum").decimalValue().subtract(java.math.BigDecimal.ONE)));
            }
            faults.put("a fraction where an integer belongs", NODES.numberNode(new java.math.BigDecimal(value.asText() + ".5")));
        }
        if (value.isTextual() && !schema.has("enum")) {
            String text = value.textValue();
            if (schema.has("maxLength")) {
                faults.put("longer than maxLength", NODES.textNode(text + "x".repeat(schema.get("maxLength").asInt() + 1)));
            }
            if (schema.path("minLength").asInt(0) > 0) {
                faults.put("shorter than minLength", NODES.textNode(""));
            }
            String pattern = schema.path("pattern").asText("");
            if (pattern.contains("\\.[0-9]")) {
                // Eleven more decimals: beyond what any of the contracts' decimal patterns allows (four for amounts, ten for rates).
                faults.put("too many decimals", NODES.textNode(text + (text.contains(".") ? "" : ".") + "00000000001"));
            } else if (!pattern.isEmpty()) {
                // A pattern is searched, not matched (JSON Schema): "#" in front breaks ^[a-z]+$ but not \S.
                java.util.regex.Pattern compiled = java.util.regex.Pattern.compile(pattern);
                int min = schema.path("minLength").asInt(0);
                int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
                java.util.stream.Stream.of("#" + text, text + "#", " ".repeat(Math.max(min, 1)), "#".repeat(Math.max(min, 1)))
                        .filter(candidate -> candidate.length() >= min && candidate.length() <= max
                                && !compiled.matcher(candidate).find())
                        .findFirst().ifPresent(off -> faults.put("off its pattern", NODES.textNode(off)));
            } else if (schema.has("format")) {
                String format = schema.get("format").asText();
                faults.put("not a " + format, NODES.textNode("not a " + format));
            }
        }
        if (value.isArray() && schema.path("minItems").asInt(0) > 0) {
            faults.put("fewer items than minItems", NODES.arrayNode());
        }
        return faults;
    }

    private static String jsonType(JsonNode value) {
        return switch (value.getNodeType()) {
            case OBJECT -> "object";
            case ARRAY -> "array";
            case STRING -> "string";
            case BOOLEAN -> "boolean";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            default -> "null";
        };
    }

    /** A value of a JSON type the schema does not admit, or null when it admits all. */
    private static JsonNode wrongType(List<String> types, JsonNode current) {
        if (!types.contains("string")) {
            return NODES.textNode(current.isTextual() ? "x" : current.toString());
        }
        if (!types.contains("number") && !types.contains("integer")) {
            return NODES.numberNode(new java.math.BigDecimal("1.5"));
        }
        if (!types.contains("boolean")) {
            return NODES.booleanNode(true);
        }
        if (!types.contains("object")) {
            return NODES.objectNode();
        }
        return null;
    }

    private static void replace(JsonNode container, Object step, JsonNode value) {
        if (step instanceof Integer index) {
            ((ArrayNode) container).set(index, value);
        } else {
            ((ObjectNode) container).set((String) step, value);
        }
    }

    private static JsonNode locate(JsonNode root, List<Object> steps) {
        JsonNode node = root;
        for (Object step : steps) {
            node = step instanceof Integer index ? node.get(index) : node.get((String) step);
        }
        return node;
    }

    private static String join(String field, String member) {
        return field.isEmpty() ? member : field + "." + member;
    }
}
