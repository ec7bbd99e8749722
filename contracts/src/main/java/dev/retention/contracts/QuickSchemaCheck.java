package dev.retention.contracts;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * A walk over event data that answers only "certainly valid against the schema" or "not certain", built from the same
 * schema files as the full validator. The full validator builds a JSON path for every node it visits and took a tenth
 * of points-service's Java samples; this walk builds none, and the full validator still decides, with its messages,
 * every record this walk is not certain about.
 *
 * <p>It understands the keywords the contracts use, each applied at least as strictly as the full validator applies
 * it; a schema with any other keyword, or a {@code format} other than {@code date-time} and {@code date}, makes every
 * record of that type "not certain". {@code QuickSchemaCheckTest} holds it to the full validator on mutated records.
 */
final class QuickSchemaCheck {

    /** Keywords that describe and never constrain. */
    private static final Set<String> ANNOTATIONS = Set.of("$schema", "$id", "$defs", "$comment", "title",
            "description", "examples", "default", "deprecated", "readOnly", "writeOnly");

    private final Node root;

    private QuickSchemaCheck(Node root) {
        this.root = root;
    }

    /**
     * @param documents  the schema documents by file name ({@code common.json}), as {@code $ref}s name them
     * @param schemaName the document to check against
     */
    static QuickSchemaCheck compile(Function<String, JsonNode> documents, String schemaName) {
        return new QuickSchemaCheck(new Compiler(documents).compile(schemaName, "#"));
    }

    /** True only when the full validator would find no violation; false says nothing either way. */
    boolean certainlyValid(JsonNode data) {
        return root.accepts(data);
    }

    private interface Node {
        boolean accepts(JsonNode value);
    }

    /** A node that is never certain: the schema uses something this walk does not understand. */
    private static final Node NOT_CERTAIN = value -> false;

    private static final class Compiler {

        private final Function<String, JsonNode> documents;
        /** Compiled or being compiled, by document and pointer: a reference to a schema in progress is resolved late. */
        private final Map<String, Node[]> compiled = new HashMap<>();

        Compiler(Function<String, JsonNode> documents) {
            this.documents = documents;
        }

        Node compile(String document, String pointer) {
            String key = document + pointer;
            Node[] slot = compiled.get(key);
            if (slot != null) {
                return value -> slot[0].accepts(value);
            }
            Node[] fresh = new Node[1];
            compiled.put(key, fresh);
            JsonNode schema = documents.apply(document);
            if (schema == null) {
                fresh[0] = NOT_CERTAIN;
                return fresh[0];
            }
            for (String step : pointer.substring(1).split("/")) {
                if (!step.isEmpty()) {
                    schema = schema.path(step.replace("~1", "/").replace("~0", "~"));
                }
            }
            fresh[0] = schema.isMissingNode() ? NOT_CERTAIN : node(document, schema);
            return fresh[0];
        }

        private Node node(String document, JsonNode schema) {
            if (schema.isBoolean()) {
                return schema.booleanValue() ? value -> true : NOT_CERTAIN;
            }
            if (!schema.isObject()) {
                return NOT_CERTAIN;
            }
            List<Node> checks = new ArrayList<>();
            Iterator<Map.Entry<String, JsonNode>> keywords = schema.fields();
            while (keywords.hasNext()) {
                Map.Entry<String, JsonNode> keyword = keywords.next();
                if (!ANNOTATIONS.contains(keyword.getKey())) {
                    checks.add(keyword(document, schema, keyword.getKey(), keyword.getValue()));
                }
            }
            Node[] all = checks.toArray(Node[]::new);
            return value -> {
                for (Node check : all) {
                    if (!check.accepts(value)) {
                        return false;
                    }
                }
                return true;
            };
        }

        private Node keyword(String document, JsonNode schema, String name, JsonNode argument) {
            return switch (name) {
                case "$ref" -> reference(document, argument);
                case "type" -> type(argument);
                case "required" -> required(argument);
                case "properties" -> properties(document, argument);
                case "additionalProperties" -> additionalProperties(document, schema, argument);
                case "maxProperties" -> argument.canConvertToInt() ? value -> !value.isObject()
                        || value.size() <= argument.intValue() : NOT_CERTAIN;
                case "minProperties" -> argument.canConvertToInt() ? value -> !value.isObject()
                        || value.size() >= argument.intValue() : NOT_CERTAIN;
                case "propertyNames" -> propertyNames(document, argument);
                case "items" -> items(document, argument);
                case "maxItems" -> argument.canConvertToInt() ? value -> !value.isArray()
                        || value.size() <= argument.intValue() : NOT_CERTAIN;
                case "minItems" -> argument.canConvertToInt() ? value -> !value.isArray()
                        || value.size() >= argument.intValue() : NOT_CERTAIN;
                // UTF-16 units are never fewer than code points, code points never more: whichever the full
                // validator counts, these bounds are no looser.
                case "maxLength" -> argument.canConvertToInt() ? value -> !value.isTextual()
                        || value.textValue().length() <= argument.intValue() : NOT_CERTAIN;
                case "minLength" -> argument.canConvertToInt() ? value -> !value.isTextual()
                        || value.textValue().codePointCount(0, value.textValue().length()) >= argument.intValue()
                        : NOT_CERTAIN;
                case "pattern" -> pattern(argument);
                case "format" -> format(argument);
                case "minimum" -> bound(argument, true);
                case "maximum" -> bound(argument, false);
                case "enum" -> argument.isArray() ? oneOf(argument) : NOT_CERTAIN;
                case "const" -> argument::equals;
                case "oneOf" -> exactlyOne(argument);
                case "if" -> conditional(document, schema, argument);
                // Read with their "if"; without one they constrain nothing.
                case "then", "else" -> value -> true;
                default -> NOT_CERTAIN;
            };
        }

        /**
         * {@code if}/{@code then}/{@code else} whose {@code if} this walk decides exactly ({@link #exact}): the branch
         * it selects must be certain. Any other {@code if} is left to the full validator.
         */
        private Node conditional(String document, JsonNode schema, JsonNode argument) {
            Node condition = exact(argument);
            if (condition == null) {
                return NOT_CERTAIN;
            }
            Node then = schema.has("then") ? node(document, schema.get("then")) : value -> true;
            Node otherwise = schema.has("else") ? node(document, schema.get("else")) : value -> true;
            return value -> condition.accepts(value) ? then.accepts(value) : otherwise.accepts(value);
        }

        private Node reference(String document, JsonNode argument) {
            if (!argument.isTextual()) {
                return NOT_CERTAIN;
            }
            String reference = argument.textValue();
            int hash = reference.indexOf('#');
            String target = hash < 0 ? reference : reference.substring(0, hash);
            String pointer = hash < 0 ? "#" : reference.substring(hash);
            if (target.contains(":") || target.contains("/") || !pointer.startsWith("#") || pointer.length() > 1
                    && !pointer.startsWith("#/")) {
                return NOT_CERTAIN; // absolute, nested or anchor references: not what the contracts use
            }
            return compile(target.isEmpty() ? document : target, pointer);
        }

        private static Node type(JsonNode argument) {
            if (!argument.isTextual()) {
                return NOT_CERTAIN;
            }
            return switch (argument.textValue()) {
                case "object" -> JsonNode::isObject;
                case "array" -> JsonNode::isArray;
                case "string" -> JsonNode::isTextual;
                case "boolean" -> JsonNode::isBoolean;
                case "null" -> JsonNode::isNull;
                // 1.0 is an integer to JSON Schema, and to some validators: not certain, so left to the full one.
                case "integer" -> JsonNode::isIntegralNumber;
                case "number" -> JsonNode::isNumber;
                default -> NOT_CERTAIN;
            };
        }

        private static Node required(JsonNode argument) {
            List<String> names = new ArrayList<>();
            for (JsonNode name : argument) {
                if (!name.isTextual()) {
                    return NOT_CERTAIN;
                }
                names.add(name.textValue());
            }
            String[] all = names.toArray(String[]::new);
            return value -> {
                if (!value.isObject()) {
                    return true;
                }
                for (String name : all) {
                    if (value.get(name) == null) {
                        return false;
                    }
                }
                return true;
            };
        }

        /**
         * {@code oneOf} whose branches this walk decides exactly ({@link #exact}): a voucher's one benefit. Any other
         * {@code oneOf} is left to the full validator.
         */
        private static Node exactlyOne(JsonNode argument) {
            List<Node> branches = new ArrayList<>();
            for (JsonNode branch : argument) {
                Node exact = exact(branch);
                if (exact == null) {
                    return NOT_CERTAIN;
                }
                branches.add(exact);
            }
            if (branches.isEmpty()) {
                return NOT_CERTAIN;
            }
            Node[] all = branches.toArray(Node[]::new);
            return value -> {
                int valid = 0;
                for (Node branch : all) {
                    if (branch.accepts(value)) {
                        valid++;
                    }
                }
                return valid == 1;
            };
        }

        /**
         * A schema this walk decides both ways, or null: one made only of {@code required}, {@code properties} whose
         * members are each a {@code const}, and {@code not} or {@code anyOf} of such schemas. Its node's false means
         * invalid, which a {@code oneOf} needs to count its valid branches.
         */
        private static Node exact(JsonNode schema) {
            if (!schema.isObject() || schema.isEmpty()) {
                return null;
            }
            List<Node> all = new ArrayList<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = schema.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> keyword = it.next();
                JsonNode argument = keyword.getValue();
                Node node = switch (keyword.getKey()) {
                    case "required" -> argument.isArray() ? required(argument) : null;
                    case "properties" -> constProperties(argument);
                    case "not" -> {
                        Node inner = exact(argument);
                        yield inner == null ? null : value -> !inner.accepts(value);
                    }
                    case "anyOf" -> anyOfExact(argument);
                    default -> null;
                };
                if (node == null || node == NOT_CERTAIN) {
                    return null;
                }
                all.add(node);
            }
            Node[] each = all.toArray(Node[]::new);
            return value -> {
                for (Node node : each) {
                    if (!node.accepts(value)) {
                        return false;
                    }
                }
                return true;
            };
        }

        private static Node constProperties(JsonNode argument) {
            if (!argument.isObject()) {
                return null;
            }
            Map<String, JsonNode> constants = new HashMap<>();
            for (Iterator<Map.Entry<String, JsonNode>> it = argument.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                JsonNode schema = property.getValue();
                if (!schema.isObject() || schema.size() != 1 || !schema.has("const")) {
                    return null;
                }
                constants.put(property.getKey(), schema.get("const"));
            }
            return value -> {
                if (!value.isObject()) {
                    return true;
                }
                for (Map.Entry<String, JsonNode> constant : constants.entrySet()) {
                    JsonNode member = value.get(constant.getKey());
                    if (member != null && !constant.getValue().equals(member)) {
                        return false;
                    }
                }
                return true;
            };
        }

        private static Node anyOfExact(JsonNode argument) {
            if (!argument.isArray() || argument.isEmpty()) {
                return null;
            }
            List<Node> branches = new ArrayList<>();
            for (JsonNode branch : argument) {
                Node exact = exact(branch);
                if (exact == null) {
                    return null;
                }
                branches.add(exact);
            }
            Node[] all = branches.toArray(Node[]::new);
            return value -> {
                for (Node branch : all) {
                    if (branch.accepts(value)) {
                        return true;
                    }
                }
                return false;
            };
        }

        private Node properties(String document, JsonNode argument) {
            if (!argument.isObject()) {
                return NOT_CERTAIN;
            }
            Map<String, Node> byName = new HashMap<>();
            argument.fields().forEachRemaining(property -> byName.put(property.getKey(),
                    node(document, property.getValue())));
            return everyMember(byName::get);
        }

        private Node additionalProperties(String document, JsonNode schema, JsonNode argument) {
            if (schema.has("patternProperties")) {
                return NOT_CERTAIN;
            }
            Set<String> declared = new HashSet<>();
            schema.path("properties").fieldNames().forEachRemaining(declared::add);
            Node check = node(document, argument);
            return everyMember(name -> declared.contains(name) ? null : check);
        }

        /** Objects whose every member name, as a JSON string, passes the check; other values pass. */
        private Node propertyNames(String document, JsonNode argument) {
            if (!argument.isObject() && !argument.isBoolean()) {
                return NOT_CERTAIN;
            }
            Node check = node(document, argument);
            return value -> {
                if (!value.isObject()) {
                    return true;
                }
                for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
                    if (!check.accepts(com.fasterxml.jackson.databind.node.TextNode.valueOf(names.next()))) {
                        return false;
                    }
                }
                return true;
            };
        }

        /** Objects whose every member passes the check for its name (null: none); other values pass. */
        private static Node everyMember(Function<String, Node> checkFor) {
            return value -> {
                if (!value.isObject()) {
                    return true;
                }
                Iterator<Map.Entry<String, JsonNode>> members = value.fields();
                while (members.hasNext()) {
                    Map.Entry<String, JsonNode> member = members.next();
                    Node check = checkFor.apply(member.getKey());
                    if (check != null && !check.accepts(member.getValue())) {
                        return false;
                    }
                }
                return true;
            };
        }

        private Node items(String document, JsonNode argument) {
            if (!argument.isObject() && !argument.isBoolean()) {
                return NOT_CERTAIN;
            }
            Node check = node(document, argument);
            return value -> {
                if (!value.isArray()) {
                    return true;
                }
                for (JsonNode item : value) {
                    if (!check.accepts(item)) {
                        return false;
                    }
                }
                return true;
            };
        }

        private static Node pattern(JsonNode argument) {
            if (!argument.isTextual()) {
                return NOT_CERTAIN;
            }
            Pattern pattern = Pattern.compile(argument.textValue());
            // Java's '$' also matches before a final line break and ECMA 262's does not: text with control or line
            // separator characters is left to the full validator.
            return value -> !value.isTextual()
                    || !hasControlCharacters(value.textValue()) && pattern.matcher(value.textValue()).find();
        }

        private static Node format(JsonNode argument) {
            if (!argument.isTextual()) {
                return NOT_CERTAIN;
            }
            return switch (argument.textValue()) {
                case "date-time" -> value -> !value.isTextual() || isUsualDateTime(value.textValue());
                case "date" -> value -> !value.isTextual() || isUsualDate(value.textValue());
                default -> NOT_CERTAIN;
            };
        }

        private static Node bound(JsonNode argument, boolean lower) {
            if (!argument.isNumber()) {
                return NOT_CERTAIN;
            }
            BigDecimal limit = argument.decimalValue();
            return value -> {
                if (!value.isNumber()) {
                    return true;
                }
                if (!value.isIntegralNumber()) {
                    return false; // decimals compare differently across validators: not certain
                }
                int comparison = value.decimalValue().compareTo(limit);
                return lower ? comparison >= 0 : comparison <= 0;
            };
        }

        private static Node oneOf(JsonNode argument) {
            Set<JsonNode> allowed = new HashSet<>();
            argument.forEach(allowed::add);
            return allowed::contains;
        }
    }

    private static boolean hasControlCharacters(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7f || c == '\u0085' || c == '\u2028' || c == '\u2029') {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code yyyy-MM-ddTHH:mm:ss[.f{1,9}](Z|±HH:mm)} with a real calendar date, a year from 1000, no leap second and
     * an offset within ±14:00 other than -00:00: the shape every validator of RFC 3339 accepts. Anything else is not
     * certain.
     */
    static boolean isUsualDateTime(String text) {
        if (Rfc3339.parseUsualShape(text) == null || text.charAt(0) == '0') {
            return false;
        }
        char last = text.charAt(text.length() - 1);
        if (last == 'Z') {
            return true;
        }
        int offsetHours = (text.charAt(text.length() - 5) - '0') * 10 + (text.charAt(text.length() - 4) - '0');
        // "-00:00" (offset unknown, RFC 3339 4.3) is refused by the full validator
        return offsetHours <= 14 && !text.endsWith("-00:00");
    }

    /** {@code yyyy-MM-dd}, a real calendar date with a year from 1000. */
    static boolean isUsualDate(String text) {
        if (text.length() != 10 || text.charAt(4) != '-' || text.charAt(7) != '-' || text.charAt(0) == '0') {
            return false;
        }
        for (int i = 0; i < 10; i++) {
            if (i != 4 && i != 7 && (text.charAt(i) < '0' || text.charAt(i) > '9')) {
                return false;
            }
        }
        try {
            LocalDate.of(Integer.parseInt(text, 0, 4, 10), Integer.parseInt(text, 5, 7, 10),
                    Integer.parseInt(text, 8, 10, 10));
            return true;
        } catch (DateTimeException invalid) {
            return false;
        }
    }
}
