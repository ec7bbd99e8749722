package dev.retention.testsupport.schema;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * jqwik generators of JSON documents valid against a JSON Schema (2020-12, and the OpenAPI 3.1 dialect), built from the
 * schema files themselves, so a schema change changes what the property tests generate. Every optional member is
 * generated present and absent, every enum value, lengths and numbers at their bounds, members in any order.
 *
 * <p>It knows the keywords the platform's schemas use: {@code $ref} (within a document and to another one), {@code
 * type} (one or several), {@code enum}, {@code const}, {@code properties}, {@code required}, {@code
 * additionalProperties}, {@code propertyNames}, {@code minProperties}/{@code maxProperties}, {@code items}, {@code minItems}/{@code maxItems}, {@code
 * minLength}/{@code maxLength}, {@code pattern}, {@code format} ({@code date-time}, {@code date}, {@code email},
 * {@code uuid}), {@code minimum}/{@code maximum} and their exclusive forms, and {@code oneOf} whose branches only
 * require members, or require none of the others' members (a {@code not} of their {@code anyOf}), with an
 * {@code if}/{@code then} that fixes members of that branch by {@code const}. {@link SchemaWalk} reads the same keywords to find where a document can be made invalid.
 */
public final class JsonSchemaArbitraries {

    /** An array with a large {@code maxItems} is generated up to this far past its minimum. */
    static final int MAX_GENERATED_ITEMS = 5;
    /** A string with no {@code maxLength} is generated up to this long. */
    static final int UNBOUNDED_STRING_LENGTH = 40;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Function<String, JsonNode> documents;
    private final boolean unknownMembers;
    private final Map<String, Pattern> patterns = new HashMap<>();

    private JsonSchemaArbitraries(Function<String, JsonNode> documents, boolean unknownMembers) {
        this.documents = documents;
        this.unknownMembers = unknownMembers;
    }

    /** The event schemas of the contracts module ({@code order.placed.json}, ...), read from the classpath. */
    public static JsonSchemaArbitraries eventSchemas() {
        ObjectMapper json = new ObjectMapper();
        Map<String, JsonNode> cache = new HashMap<>();
        return new JsonSchemaArbitraries(name -> cache.computeIfAbsent(name, file -> {
            try (InputStream in = JsonSchemaArbitraries.class.getResourceAsStream("/schemas/" + file)) {
                if (in == null) {
                    throw new IllegalArgumentException("no schema " + file + " on the classpath");
                }
                return json.readTree(in);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }), false);
    }

    /** Schemas inside one document (an OpenAPI document's {@code #/components/schemas/...}), under a name. */
    public static JsonSchemaArbitraries inDocument(String name, JsonNode document) {
        return new JsonSchemaArbitraries(requested -> {
            if (!requested.equals(name)) {
                throw new IllegalArgumentException("no document " + requested + " besides " + name);
            }
            return document;
        }, false);
    }

    /**
     * The same generators, adding members no schema declares to objects that admit them (a producer's newer fields:
     * the forward compatibility a reader promises). They are named {@code futureField<n>}.
     */
    public JsonSchemaArbitraries withUnknownMembers() {
        return new JsonSchemaArbitraries(documents, true);
    }

    public Arbitrary<JsonNode> valid(String document) {
        return valid(document, "#");
    }

    /** Documents valid against the schema at {@code pointer} ({@code #/components/schemas/Money}) in {@code document}. */
    public Arbitrary<JsonNode> valid(String document, String pointer) {
        return generate(new SchemaRef(document, resolve(document, pointer)));
    }

    SchemaRef schemaAt(String document, String pointer) {
        return new SchemaRef(document, resolve(document, pointer));
    }

    /** A schema and the document its {@code $ref}s are relative to. */
    record SchemaRef(String document, JsonNode schema) {
    }

    /** Follows {@code $ref}s until a schema without one; its sibling keywords (a narrower pattern) are kept. */
    SchemaRef dereference(SchemaRef ref) {
        SchemaRef current = ref;
        ObjectNode siblings = NODES.objectNode();
        while (current.schema().has("$ref")) {
            current.schema().fields().forEachRemaining(member -> {
                if (!member.getKey().equals("$ref") && !siblings.has(member.getKey())) {
                    siblings.set(member.getKey(), member.getValue());
                }
            });
            String reference = current.schema().get("$ref").textValue();
            int hash = reference.indexOf('#');
            String target = hash < 0 ? reference : reference.substring(0, hash);
            String document = target.isEmpty() ? current.document() : target;
            current = new SchemaRef(document, resolve(document, hash < 0 ? "#" : reference.substring(hash)));
        }
        if (siblings.isEmpty()) {
            return current;
        }
        ObjectNode merged = ((ObjectNode) current.schema()).deepCopy();
        siblings.fields().forEachRemaining(member -> {
            if (!merged.has(member.getKey())) {
                merged.set(member.getKey(), member.getValue());
            }
        });
        return new SchemaRef(current.document(), merged);
    }

    private JsonNode resolve(String document, String pointer) {
        JsonNode root = documents.apply(document);
        JsonNode schema = pointer.equals("#") ? root : root.at(pointer.substring(1));
        if (schema.isMissingNode()) {
            throw new IllegalArgumentException("no schema at " + document + pointer);
        }
        return schema;
    }

    Arbitrary<JsonNode> generate(SchemaRef ref) {
        SchemaRef resolved = dereference(ref);
        JsonNode schema = resolved.schema();
        if (schema.isBoolean()) {
            return Arbitraries.just(NODES.textNode("anything"));
        }
        if (schema.has("const")) {
            return Arbitraries.just(schema.get("const"));
        }
        if (schema.has("enum")) {
            List<JsonNode> values = new ArrayList<>();
            schema.get("enum").forEach(values::add);
            return Arbitraries.of(values);
        }
        if (schema.has("anyOf")) {
            List<Arbitrary<JsonNode>> branches = new ArrayList<>();
            schema.get("anyOf").forEach(branch -> branches.add(generate(new SchemaRef(resolved.document(), branch))));
            return Arbitraries.oneOf(branches);
        }
        Set<JsonNode> excluded = excluded(schema);
        if (!excluded.isEmpty()) {
            ObjectNode allowed = ((ObjectNode) schema).deepCopy();
            allowed.remove("not");
            return generate(new SchemaRef(resolved.document(), allowed))
                    .filter(value -> excluded.stream().noneMatch(no -> sameValue(no, value)));
        }
        List<String> types = types(schema);
        if (types.size() > 1) {
            List<Arbitrary<JsonNode>> each = new ArrayList<>();
            for (String type : types) {
                each.add(ofType(type, resolved));
            }
            return Arbitraries.oneOf(each);
        }
        return ofType(types.get(0), resolved);
    }

    /** The values a {@code not} of {@code enum} or {@code const} excludes (the only {@code not} generated). */
    static Set<JsonNode> excluded(JsonNode schema) {
        JsonNode not = schema.get("not");
        if (not == null) {
            return Set.of();
        }
        Set<JsonNode> values = new HashSet<>();
        if (not.has("const")) {
            values.add(not.get("const"));
        }
        not.path("enum").forEach(values::add);
        if (values.isEmpty()) {
            throw new IllegalArgumentException("only a not of enum or const is generated: " + not);
        }
        return values;
    }

    static boolean sameValue(JsonNode a, JsonNode b) {
        return a.isNumber() && b.isNumber() ? a.decimalValue().compareTo(b.decimalValue()) == 0 : a.equals(b);
    }

    /** The JSON types a schema admits, read from {@code type} or, without one, from the keywords it has. */
    static List<String> types(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return List.of(type.textValue());
        }
        if (type != null && type.isArray()) {
            List<String> types = new ArrayList<>();
            type.forEach(t -> types.add(t.textValue()));
            return types;
        }
        if (schema.has("properties") || schema.has("additionalProperties") || schema.has("required")) {
            return List.of("object");
        }
        if (schema.has("items")) {
            return List.of("array");
        }
        if (schema.has("pattern") || schema.has("format") || schema.has("maxLength")) {
            return List.of("string");
        }
        if (schema.has("minimum") || schema.has("maximum")) {
            return List.of("number");
        }
        return List.of("string");
    }

    private Arbitrary<JsonNode> ofType(String type, SchemaRef ref) {
        JsonNode schema = ref.schema();
        return switch (type) {
            case "object" -> object(ref);
            case "array" -> array(ref);
            case "string" -> string(schema).map(NODES::textNode);
            case "integer" -> {
                long min = bound(schema, "minimum", "exclusiveMinimum", Long.MIN_VALUE / 2, 1);
                long max = bound(schema, "maximum", "exclusiveMaximum", Long.MAX_VALUE / 2, -1);
                // The bounds themselves often: the properties run without jqwik's edge cases, which skew a run.
                yield Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.longs().between(min, max)),
                        Tuple.of(1, Arbitraries.just(min)), Tuple.of(1, Arbitraries.just(max))).map(NODES::numberNode);
            }
            case "number" -> Arbitraries.bigDecimals()
                    .between(BigDecimal.valueOf(bound(schema, "minimum", "exclusiveMinimum", -1_000_000_000L, 1)),
                            BigDecimal.valueOf(bound(schema, "maximum", "exclusiveMaximum", 1_000_000_000L, -1)))
                    .ofScale(2).map(NODES::numberNode);
            case "boolean" -> Arbitraries.of(true, false).map(NODES::booleanNode);
            case "null" -> Arbitraries.just(NODES.nullNode());
            default -> throw new IllegalArgumentException("cannot generate JSON type " + type);
        };
    }

    /** An integral bound; an exclusive one moves by {@code step} (1 up from a minimum, -1 down from a maximum). */
    private static long bound(JsonNode schema, String inclusive, String exclusive, long otherwise, int step) {
        if (schema.has(inclusive)) {
            return schema.get(inclusive).decimalValue().setScale(0, step > 0 ? java.math.RoundingMode.CEILING
                    : java.math.RoundingMode.FLOOR).longValueExact();
        }
        if (schema.has(exclusive) && schema.get(exclusive).isNumber()) {
            return schema.get(exclusive).longValue() + step;
        }
        return otherwise;
    }

    private Arbitrary<JsonNode> object(SchemaRef ref) {
        JsonNode schema = ref.schema();
        List<Branch> branches = oneOfBranches(schema);
        if (branches.isEmpty()) {
            return object(ref, Set.of(), Set.of(), Map.of());
        }
        Set<String> named = new HashSet<>();
        branches.forEach(branch -> named.addAll(branch.required()));
        return Arbitraries.integers().between(0, branches.size() - 1).flatMap(chosen -> {
            Branch branch = branches.get(chosen);
            Set<String> absent = new HashSet<>(named);
            absent.removeAll(branch.required());
            Map<String, JsonNode> fixed = new java.util.LinkedHashMap<>(branch.fixed());
            if (branch.required().isEmpty() && schema.path("if").has("not")) {
                // The "none of the others" branch is what the schema's if/then speaks of: its then's consts hold.
                schema.path("then").path("properties").fields().forEachRemaining(property -> {
                    if (property.getValue().has("const")) {
                        fixed.put(property.getKey(), property.getValue().get("const"));
                    }
                });
            }
            return object(ref, Set.copyOf(branch.required()), absent, fixed);
        });
    }

    /**
     * A branch of a {@code oneOf}: the members it requires, and the values it fixes ({@code const}). A branch that
     * requires none of the members the others require ({@code not} of their {@code anyOf}) is taken when none of them
     * is present: a voucher that gives free shipping alone.
     */
    record Branch(List<String> required, Map<String, JsonNode> fixed) {
    }

    /** The branches of a {@code oneOf} (exactly one of them must hold), each required-only or "none of the others". */
    static List<Branch> oneOfBranches(JsonNode schema) {
        List<Branch> branches = new ArrayList<>();
        JsonNode oneOf = schema.get("oneOf");
        if (oneOf == null) {
            return branches;
        }
        for (JsonNode branch : oneOf) {
            if (branch.size() == 1 && branch.has("required")) {
                List<String> names = new ArrayList<>();
                branch.get("required").forEach(name -> names.add(name.textValue()));
                branches.add(new Branch(names, Map.of()));
            } else if (branch.has("not") && branch.get("not").has("anyOf") && branch.size() <= 2
                    && (branch.size() == 1 || branch.has("properties"))) {
                Map<String, JsonNode> fixed = new java.util.LinkedHashMap<>();
                branch.path("properties").fields().forEachRemaining(property -> {
                    if (!property.getValue().has("const")) {
                        throw new IllegalArgumentException("only const members are generated in a oneOf: " + oneOf);
                    }
                    fixed.put(property.getKey(), property.getValue().get("const"));
                });
                branches.add(new Branch(List.of(), fixed));
            } else {
                throw new IllegalArgumentException("only oneOf of required-only branches, or of none of them, is "
                        + "generated: " + oneOf);
            }
        }
        return branches;
    }

    private Arbitrary<JsonNode> object(SchemaRef ref, Set<String> present, Set<String> absent,
                                       Map<String, JsonNode> fixed) {
        JsonNode schema = ref.schema();
        Set<String> required = new HashSet<>(present);
        schema.path("required").forEach(name -> required.add(name.textValue()));
        List<Arbitrary<Optional<Map.Entry<String, JsonNode>>>> members = new ArrayList<>();
        Iterator<Map.Entry<String, JsonNode>> properties = schema.path("properties").fields();
        while (properties.hasNext()) {
            Map.Entry<String, JsonNode> property = properties.next();
            String name = property.getKey();
            if (absent.contains(name)) {
                continue;
            }
            Arbitrary<JsonNode> value = fixed.containsKey(name) ? Arbitraries.just(fixed.get(name))
                    : generate(new SchemaRef(ref.document(), property.getValue()));
            Arbitrary<Optional<Map.Entry<String, JsonNode>>> member =
                    value.map(generated -> Optional.of(Map.entry(name, generated)));
            members.add(required.contains(name) || fixed.containsKey(name) ? member
                    : Arbitraries.oneOf(Arbitraries.just(Optional.empty()), member));
        }
        Arbitrary<List<Map.Entry<String, JsonNode>>> declared = members.isEmpty() ? Arbitraries.just(List.of())
                : Combinators.combine(members).as(found -> found.stream().flatMap(Optional::stream).toList());
        Arbitrary<List<Map.Entry<String, JsonNode>>> extra = extraMembers(ref);
        // Members in any order: shuffled by a seed that shrinks to 0, the schema's order. (A flatMap to jqwik's
        // shuffle made a new generator at every object of every try, the larger part of the time a run took.)
        return Combinators.combine(declared, extra, Arbitraries.longs()).as((a, b, order) -> {
            List<Map.Entry<String, JsonNode>> all = new ArrayList<>(a);
            all.addAll(b);
            if (order != 0) {
                java.util.Collections.shuffle(all, new java.util.Random(order));
            }
            ObjectNode object = NODES.objectNode();
            all.forEach(member -> object.set(member.getKey(), member.getValue()));
            return object;
        });
    }

    private Arbitrary<List<Map.Entry<String, JsonNode>>> extraMembers(SchemaRef ref) {
        JsonNode schema = ref.schema();
        JsonNode additional = schema.get("additionalProperties");
        if (additional != null && additional.isObject()) {
            int min = schema.path("minProperties").asInt(0);
            int max = Math.max(min, Math.min(schema.path("maxProperties").asInt(3), 3));
            Arbitrary<JsonNode> values = generate(new SchemaRef(ref.document(), additional));
            // Names as propertyNames asks (currency codes as the keys of a map), else plain identifiers.
            Arbitrary<String> names = schema.has("propertyNames")
                    ? generate(new SchemaRef(ref.document(), schema.get("propertyNames"))).map(JsonNode::textValue)
                    : RegexStrings.matching("^[a-z][a-zA-Z0-9_]{0,15}$");
            return Combinators.combine(names, values).as(Map::entry).list().ofMinSize(min).ofMaxSize(max)
                    .uniqueElements(Map.Entry::getKey);
        }
        if (unknownMembers && (additional == null || additional.asBoolean(true))) {
            return Arbitraries.strings().alpha().ofMaxLength(10).optional(0.5)
                    .map(value -> value.<List<Map.Entry<String, JsonNode>>>map(
                            text -> List.of(Map.entry("futureField1", NODES.textNode(text)))).orElse(List.of()));
        }
        return Arbitraries.just(List.of());
    }

    private Arbitrary<JsonNode> array(SchemaRef ref) {
        JsonNode schema = ref.schema();
        int min = schema.path("minItems").asInt(0);
        int max = Math.min(schema.path("maxItems").asInt(Integer.MAX_VALUE), min + MAX_GENERATED_ITEMS);
        JsonNode items = schema.get("items");
        Arbitrary<JsonNode> item = items == null ? Arbitraries.just(NODES.textNode("item"))
                : generate(new SchemaRef(ref.document(), items));
        return item.list().ofMinSize(min).ofMaxSize(max).map(list -> {
            var array = NODES.arrayNode();
            list.forEach(array::add);
            return array;
        });
    }

    /**
     * Strings in which the pattern is found, as JSON Schema reads a pattern: one without {@code ^} may have text
     * before the match, one without {@code $} text after it ({@code \\S} admits "  a b ").
     */
    private static Arbitrary<String> searched(String pattern, int min, int max) {
        Arbitrary<String> match = RegexStrings.matching(pattern);
        if (pattern.startsWith("^") && pattern.endsWith("$")) {
            return match;
        }
        int room = Math.max(0, Math.min(max, UNBOUNDED_STRING_LENGTH));
        Arbitrary<String> before = pattern.startsWith("^") ? Arbitraries.just("") : Formats.text(0, room);
        Arbitrary<String> after = pattern.endsWith("$") ? Arbitraries.just("") : Formats.text(0, room);
        return Arbitraries.frequencyOf(Tuple.of(1, match), Tuple.of(2, Combinators.combine(before, match, after)
                .as((b, m, a) -> b + m + a)));
    }

    private Arbitrary<String> string(JsonNode schema) {
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Math.max(min, UNBOUNDED_STRING_LENGTH));
        String format = schema.path("format").asText("");
        String pattern = schema.path("pattern").asText(null);
        Arbitrary<String> strings = switch (format) {
            case "date-time" -> Formats.dateTimes();
            case "date" -> Formats.dates().map(LocalDate::toString);
            case "email" -> Formats.emails(max);
            case "uuid" -> Formats.uuids();
            default -> pattern != null ? searched(pattern, min, max) : Formats.text(min, max);
        };
        if (pattern != null && !format.isEmpty()) {
            Pattern compiled = patterns.computeIfAbsent(pattern, Pattern::compile);
            strings = strings.filter(s -> compiled.matcher(s).find());
        }
        return strings.filter(s -> {
            int length = s.codePointCount(0, s.length());
            return length >= min && length <= max;
        });
    }
}
