package dev.retention.console.view;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Example;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import java.math.BigDecimal;
import java.util.Comparator;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The draft editor's round trip: every leaf of a programme document named by its path, set back from the form's text,
 * and the diff of two documents. Documents are generated with keys that need the bracket form of a path.
 */
class JsonPathsTest {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final ObjectMapper JSON = new ObjectMapper();

    /** Equal as the service reads it: numbers by value (the editor may turn an int node into a big-integer node). */
    private static final Comparator<JsonNode> SAME_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    @Property(tries = 300)
    void settingEveryLeafToItsOwnValueLeavesTheDocumentEqual(@ForAll("documents") JsonNode document) {
        JsonNode edited = document.deepCopy();

        for (JsonPaths.Leaf leaf : JsonPaths.leaves(document)) {
            JsonPaths.set(edited, leaf.path(), leaf.value());
        }

        assertThat(edited.equals(SAME_VALUE, document)).as("%s became %s", document, edited).isTrue();
        assertThat(JsonPaths.leaves(edited)).isEqualTo(JsonPaths.leaves(document));
    }

    @Property(tries = 300)
    void everyLeafPathLeadsBackToItsLeaf(@ForAll("documents") JsonNode document) {
        for (JsonPaths.Leaf leaf : JsonPaths.leaves(document)) {
            JsonNode node = document;
            for (Object step : JsonPaths.steps(leaf.path())) {
                node = step instanceof Integer index ? node.get(index) : node.get((String) step);
            }
            assertThat(node).as(leaf.path()).isNotNull();
            assertThat(node.isValueNode() || node.isNull()).as(leaf.path()).isTrue();
        }
    }

    @Property(tries = 300)
    void aDocumentHasNoDifferenceFromItself(@ForAll("documents") JsonNode document) {
        assertThat(JsonPaths.diff(document, document)).isEmpty();
        assertThat(JsonPaths.diff(document, document.deepCopy())).isEmpty();
    }

    @Property(tries = 300)
    void changingOneLeafShowsExactlyThatPathInTheDiff(@ForAll("documents") JsonNode document,
                                                       @ForAll("indexes") int pick) {
        List<JsonPaths.Leaf> leaves = JsonPaths.leaves(document);
        if (leaves.isEmpty()) {
            return;
        }
        JsonPaths.Leaf leaf = leaves.get(pick % leaves.size());
        JsonNode edited = document.deepCopy();

        JsonPaths.set(edited, leaf.path(), otherValue(leaf));

        assertThat(JsonPaths.diff(document, edited)).extracting(JsonPaths.Change::path).containsExactly(leaf.path());
    }

    private static String otherValue(JsonPaths.Leaf leaf) {
        return switch (leaf.kind()) {
            case NUMBER -> new BigDecimal(leaf.value()).add(BigDecimal.ONE).toPlainString();
            case BOOLEAN -> Boolean.toString(!Boolean.parseBoolean(leaf.value()));
            case NULL -> "now set";
            case TEXT -> leaf.value() + "!";
        };
    }

    @Example
    void aNumberStaysANumberWhereTheTextIsOne() {
        ObjectNode document = (ObjectNode) read("{\"threshold\": 500, \"rate\": 1.5, \"cap\": 10}");

        JsonPaths.set(document, "$.threshold", " 750 ");
        JsonPaths.set(document, "$.rate", "2.25");
        JsonPaths.set(document, "$.cap", "ten");

        assertThat(document.get("threshold").isIntegralNumber()).isTrue();
        assertThat(document.get("threshold").intValue()).isEqualTo(750);
        assertThat(document.get("rate").isNumber()).isTrue();
        assertThat(document.get("rate").decimalValue()).isEqualByComparingTo("2.25");
        // Not a number: sent as typed so that the service names the field.
        assertThat(document.get("cap").isTextual()).isTrue();
        assertThat(document.get("cap").textValue()).isEqualTo("ten");
    }

    @Example
    void aBooleanStaysABooleanAndANullLeftBlankStaysNull() {
        ObjectNode document = (ObjectNode) read("{\"active\": true, \"endsAt\": null, \"note\": null, \"name\": \"Gold\"}");

        JsonPaths.set(document, "$.active", "false");
        JsonPaths.set(document, "$.endsAt", "  ");
        JsonPaths.set(document, "$.note", "from the form");
        JsonPaths.set(document, "$.name", "123");

        assertThat(document.get("active").isBoolean()).isTrue();
        assertThat(document.get("active").booleanValue()).isFalse();
        assertThat(document.get("endsAt").isNull()).isTrue();
        assertThat(document.get("note").textValue()).isEqualTo("from the form");
        // A text leaf stays text even where the text looks like a number.
        assertThat(document.get("name").isTextual()).isTrue();
    }

    @Example
    void theLeavesOfAProgrammeAreNamedAsTheServicesNameThem() {
        JsonNode document = read("""
                {"tiers": {"levels": [{"name": "Silver", "threshold": 500}, {"name": "Gold", "threshold": 2000}]},
                 "earning": {"rules": [], "base rate": 1}, "active": true, "note": null}""");

        assertThat(JsonPaths.leaves(document)).containsExactly(
                new JsonPaths.Leaf("$.tiers.levels[0].name", "Silver", JsonPaths.Kind.TEXT),
                new JsonPaths.Leaf("$.tiers.levels[0].threshold", "500", JsonPaths.Kind.NUMBER),
                new JsonPaths.Leaf("$.tiers.levels[1].name", "Gold", JsonPaths.Kind.TEXT),
                new JsonPaths.Leaf("$.tiers.levels[1].threshold", "2000", JsonPaths.Kind.NUMBER),
                new JsonPaths.Leaf("$.earning['base rate']", "1", JsonPaths.Kind.NUMBER),
                new JsonPaths.Leaf("$.active", "true", JsonPaths.Kind.BOOLEAN),
                new JsonPaths.Leaf("$.note", null, JsonPaths.Kind.NULL));
    }

    @Example
    void pathsOfTheServicesFormParse() {
        assertThat(JsonPaths.steps("$.tiers.levels[0].threshold")).containsExactly("tiers", "levels", 0, "threshold");
        assertThat(JsonPaths.steps("$.earning.rules[12].multiplier")).containsExactly("earning", "rules", 12, "multiplier");
        assertThat(JsonPaths.steps("$['odd key'].x[3]")).containsExactly("odd key", "x", 3);
        assertThat(JsonPaths.steps("$['it\\'s'].a-b")).containsExactly("it's", "a-b");
        assertThat(JsonPaths.steps("$")).isEmpty();
        // Not paths: nothing to set.
        assertThat(JsonPaths.steps("tiers.levels")).isEmpty();
        assertThat(JsonPaths.steps("$.tiers..levels")).isEmpty();
        assertThat(JsonPaths.steps("$.tiers[x]")).isEmpty();
    }

    @Example
    void theFormCannotAddStructure() {
        JsonNode document = read("{\"tiers\": {\"levels\": [{\"threshold\": 500}]}}");
        JsonNode before = document.deepCopy();

        JsonPaths.set(document, "$.tiers.levels[1].threshold", "900");
        JsonPaths.set(document, "$.tiers.extra", "x");
        JsonPaths.set(document, "$.tiers.levels", "replaced");
        JsonPaths.set(document, "not a path", "x");

        assertThat(document).isEqualTo(before);
    }

    @Example
    void theDiffComparesNumbersByValueAndNamesAddedAndRemovedPaths() {
        JsonNode before = read("{\"rate\": 2, \"old\": 1, \"levels\": []}");
        JsonNode after = read("{\"rate\": 2.0, \"levels\": [{\"threshold\": 5}]}");

        assertThat(JsonPaths.diff(before, after)).containsExactly(
                new JsonPaths.Change("$.old", "1", null),
                new JsonPaths.Change("$.levels", "[]", null),
                new JsonPaths.Change("$.levels[0].threshold", null, "5"));
    }

    @Provide
    Arbitrary<Integer> indexes() {
        return Arbitraries.integers().between(0, 1000);
    }

    @Provide
    Arbitrary<JsonNode> documents() {
        return Arbitraries.oneOf(object(3), array(3));
    }

    private Arbitrary<JsonNode> value(int depth) {
        if (depth == 0) {
            return scalar();
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(4, scalar()),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> object(depth - 1))),
                net.jqwik.api.Tuple.of(1, Arbitraries.lazy(() -> array(depth - 1))));
    }

    private Arbitrary<JsonNode> object(int depth) {
        return Arbitraries.maps(keys(), value(depth)).ofMaxSize(4).map(members -> {
            ObjectNode object = NODES.objectNode();
            members.forEach(object::set);
            return object;
        });
    }

    private Arbitrary<JsonNode> array(int depth) {
        return value(depth).list().ofMaxSize(4).map(items -> {
            ArrayNode array = NODES.arrayNode();
            items.forEach(array::add);
            return array;
        });
    }

    /** Plain names, and keys a path must bracket: spaces, dots, brackets, quotes, backslashes, digits first, empty. */
    private Arbitrary<String> keys() {
        Arbitrary<String> plain = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(6);
        Arbitrary<String> odd = Arbitraries.strings().withChars("ab0 .[]'\\\"$-_é€").ofMinLength(0).ofMaxLength(6);
        return Arbitraries.oneOf(plain, odd, Arbitraries.of("levels", "0", "a b", "it's", "back\\slash", "\\'", "x']"));
    }

    private Arbitrary<JsonNode> scalar() {
        return Arbitraries.oneOf(
                Arbitraries.integers().between(-100_000, 100_000).map(i -> (JsonNode) NODES.numberNode(i)),
                Arbitraries.longs().map(l -> (JsonNode) NODES.numberNode(l)),
                Arbitraries.bigDecimals().between(new BigDecimal("-1000000"), new BigDecimal("1000000")).ofScale(3)
                        .map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.doubles().between(-1e6, 1e6).map(d -> (JsonNode) NODES.numberNode(d)),
                Arbitraries.of(true, false).map(b -> (JsonNode) NODES.booleanNode(b)),
                Arbitraries.just((JsonNode) NODES.nullNode()),
                Arbitraries.strings().ofMaxLength(8).map(s -> (JsonNode) NODES.textNode(s)),
                Combinators.combine(Arbitraries.integers().between(0, 99), Arbitraries.of("", " ", "x"))
                        .as((n, suffix) -> (JsonNode) NODES.textNode(n + suffix)));
    }

    private static JsonNode read(String json) {
        try {
            return JSON.readTree(json);
        } catch (Exception e) {
            throw new IllegalArgumentException(e);
        }
    }
}
