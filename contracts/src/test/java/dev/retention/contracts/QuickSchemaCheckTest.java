package dev.retention.contracts;

import java.util.LinkedHashMap;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The quick check may only ever say "valid" where the full validator finds nothing wrong. Held to that on every
 * event type's sample with each value replaced by each of a set of awkward values, each member removed and members
 * added, and arrays emptied and overfilled.
 */
class QuickSchemaCheckTest {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final EventSchemas SCHEMAS = EventSchemas.shared();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void isCertainOnlyWhereTheFullValidatorFindsNoViolation(EventType type) {
        JsonNode sample = JSON.valueToTree(SampleEvents.dataOf(type));
        List<JsonNode> variants = variantsOf(sample);
        int quicklyValid = 0;
        int invalid = 0;
        for (JsonNode variant : variants) {
            boolean fullyValid = SCHEMAS.fullValidation(type, variant).isEmpty();
            if (SCHEMAS.quicklyValid(type, variant)) {
                quicklyValid++;
                assertThat(fullyValid).as("quick check accepted %s", variant).isTrue();
            }
            if (!fullyValid) {
                invalid++;
            }
        }
        // The variants reach the schema's rules, and the quick check still passes the valid ones where it can.
        assertThat(invalid).as("variants the full validator rejects").isGreaterThan(variants.size() / 3);
        if (!usesEmailFormat(type)) {
            assertThat(quicklyValid).as("variants the quick check accepts").isGreaterThan(0);
        }
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void theSampleOfEveryTypeIsCertainUnlessItsSchemaHasAnEmailAddress(EventType type) {
        JsonNode sample = JSON.valueToTree(SampleEvents.dataOf(type));

        assertThat(SCHEMAS.fullValidation(type, sample)).isEmpty();
        // The e-mail format's rules (a list of top-level domains among them) stay with the full validator.
        assertThat(SCHEMAS.quicklyValid(type, sample)).isEqualTo(!usesEmailFormat(type));
        assertThat(SCHEMAS.validate(type, sample)).isEmpty();
    }

    @Test
    void aKeywordItDoesNotKnowMakesItNeverCertain() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {"a": {"type": "string", "oneOf": [{"minLength": 1}]}}}""");
        QuickSchemaCheck check = QuickSchemaCheck.compile(Map.of("s.json", schema)::get, "s.json");

        assertThat(check.certainlyValid(JSON.readTree("{\"b\": 1}"))).isTrue();
        assertThat(check.certainlyValid(JSON.readTree("{\"a\": \"x\"}"))).isFalse();
    }

    @Test
    void aReferenceToAMissingDocumentIsNeverCertain() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {"a": {"$ref": "other.json#/$defs/x"}}}""");
        QuickSchemaCheck check = QuickSchemaCheck.compile(Map.of("s.json", schema)::get, "s.json");

        assertThat(check.certainlyValid(JSON.readTree("{\"a\": \"x\"}"))).isFalse();
    }

    @Test
    void aSchemaThatRefersToItselfIsWalked() throws Exception {
        JsonNode schema = JSON.readTree("""
                {"type": "object", "properties": {"child": {"$ref": "#"}, "name": {"type": "string"}}}""");
        QuickSchemaCheck check = QuickSchemaCheck.compile(Map.of("s.json", schema)::get, "s.json");

        assertThat(check.certainlyValid(JSON.readTree("{\"child\": {\"child\": {\"name\": \"x\"}}}"))).isTrue();
        assertThat(check.certainlyValid(JSON.readTree("{\"child\": {\"child\": {\"name\": 1}}}"))).isFalse();
    }

    @Test
    void timestampsAreCertainOnlyInTheUsualShape() {
        assertThat(QuickSchemaCheck.isUsualDateTime("2026-11-22T10:15:30.123+01:00")).isTrue();
        assertThat(QuickSchemaCheck.isUsualDateTime("2026-11-22T10:15:30Z")).isTrue();
        assertThat(QuickSchemaCheck.isUsualDateTime("2026-02-29T10:15:30Z")).isFalse();
        assertThat(QuickSchemaCheck.isUsualDateTime("2026-11-22T10:15:30+15:00")).isFalse();
        assertThat(QuickSchemaCheck.isUsualDateTime("2026-11-22T10:15:30-00:00")).isFalse();
        assertThat(QuickSchemaCheck.isUsualDateTime("0999-11-22T10:15:30Z")).isFalse();
        assertThat(QuickSchemaCheck.isUsualDateTime("2026-11-22t10:15:30z")).isFalse();
        assertThat(QuickSchemaCheck.isUsualDate("2028-02-29")).isTrue();
        assertThat(QuickSchemaCheck.isUsualDate("2026-02-29")).isFalse();
        assertThat(QuickSchemaCheck.isUsualDate("2026-1-01")).isFalse();
    }

    @Test
    void aVoucherGivesOneBenefitOrFreeShippingAloneAndTheQuickCheckDecidesItExactly() {
        JsonNode sample = JSON.valueToTree(SampleEvents.dataOf(EventType.TRIGGER_FIRED));
        Map<String, Boolean> shapes = new LinkedHashMap<>();
        // members of the voucher besides code and expiry -> valid
        shapes.put("{\"value\":{\"amount\":\"5.00\",\"currency\":\"EUR\"},\"freeShipping\":false}", true);
        shapes.put("{\"percentOff\":\"15\",\"maximumDiscount\":{\"amount\":\"20.00\",\"currency\":\"EUR\"},"
                + "\"freeShipping\":false}", true);
        shapes.put("{\"freeGiftSku\":\"sku-1\",\"freeShipping\":true}", true);
        shapes.put("{\"freeShipping\":true}", true);
        shapes.put("{\"freeShipping\":false}", false);
        shapes.put("{\"percentOff\":\"15\",\"freeGiftSku\":\"sku-1\",\"freeShipping\":true}", false);
        shapes.put("{\"value\":{\"amount\":\"5.00\",\"currency\":\"EUR\"},\"percentOff\":\"15\","
                + "\"freeShipping\":false}", false);
        shapes.forEach((benefit, valid) -> {
            ObjectNode data = sample.deepCopy();
            ObjectNode voucher = NODES.objectNode().put("code", "REWARD-7KQ9-XM2P")
                    .put("expiresAt", "2026-12-22T10:15:30Z");
            try {
                voucher.setAll((ObjectNode) JSON.readTree(benefit));
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
            data.set("voucher", voucher);

            assertThat(SCHEMAS.fullValidation(EventType.TRIGGER_FIRED, data).isEmpty()).as(benefit).isEqualTo(valid);
            assertThat(SCHEMAS.quicklyValid(EventType.TRIGGER_FIRED, data)).as(benefit).isEqualTo(valid);
        });
    }

    private static boolean usesEmailFormat(EventType type) {
        return type == EventType.CUSTOMER_REGISTERED || type == EventType.CUSTOMER_UPDATED;
    }

    /** The sample with one change each: every value replaced, every member removed, members added. */
    private static List<JsonNode> variantsOf(JsonNode sample) {
        List<JsonNode> variants = new ArrayList<>();
        collect(sample, sample, new ArrayList<>(), variants);
        return variants;
    }

    private static void collect(JsonNode root, JsonNode node, List<Object> path, List<JsonNode> variants) {
        for (JsonNode replacement : awkwardValues()) {
            variants.add(replaced(root, path, replacement));
        }
        if (node.isObject()) {
            for (String extra : List.of("extra", "x-unknown")) {
                variants.add(edited(root, path, object -> object.put(extra, "x")));
                variants.add(edited(root, path, object -> object.put(extra, 1)));
            }
            variants.add(edited(root, path, object -> {
                for (int i = 0; i < 21; i++) {
                    object.put("k" + i, "v");
                }
            }));
            node.fieldNames().forEachRemaining(name -> {
                variants.add(edited(root, path, object -> object.remove(name)));
                collect(root, node.get(name), append(path, name), variants);
            });
        } else if (node.isArray() && !node.isEmpty()) {
            ArrayNode overfull = NODES.arrayNode();
            for (int i = 0; i < 1001; i++) {
                overfull.add(node.get(0).deepCopy());
            }
            variants.add(replaced(root, path, overfull));
            for (int i = 0; i < node.size(); i++) {
                collect(root, node.get(i), append(path, i), variants);
            }
        }
    }

    /** A copy of the root with the value at the path replaced. */
    private static JsonNode replaced(JsonNode root, List<Object> path, JsonNode value) {
        if (path.isEmpty()) {
            return value;
        }
        JsonNode copy = root.deepCopy();
        JsonNode parent = at(copy, path.subList(0, path.size() - 1));
        Object key = path.get(path.size() - 1);
        if (key instanceof Integer index) {
            ((ArrayNode) parent).set(index, value);
        } else {
            ((ObjectNode) parent).set((String) key, value);
        }
        return copy;
    }

    /** A copy of the root with the object at the path edited. */
    private static JsonNode edited(JsonNode root, List<Object> path, Consumer<ObjectNode> edit) {
        JsonNode copy = root.deepCopy();
        edit.accept((ObjectNode) at(copy, path));
        return copy;
    }

    private static JsonNode at(JsonNode root, List<Object> path) {
        JsonNode node = root;
        for (Object step : path) {
            node = step instanceof Integer index ? node.get(index) : node.get((String) step);
        }
        return node;
    }

    private static List<Object> append(List<Object> path, Object step) {
        List<Object> longer = new ArrayList<>(path);
        longer.add(step);
        return longer;
    }

    private static List<JsonNode> awkwardValues() {
        List<JsonNode> values = new ArrayList<>(List.of(NODES.nullNode(), NODES.booleanNode(true),
                NODES.numberNode(0), NODES.numberNode(-1), NODES.numberNode(1), NODES.numberNode(5),
                NODES.numberNode(100_001), NODES.numberNode(1_000_000_000L), NODES.numberNode(1_000_000_001L),
                NODES.numberNode(-1_000_000_001L), NODES.numberNode(new BigInteger("1180591620717411303424")),
                NODES.numberNode(new BigDecimal("1.5")), NODES.numberNode(new BigDecimal("1.0")),
                NODES.numberNode(new BigDecimal("1E+3")), NODES.objectNode(), NODES.arrayNode(),
                NODES.arrayNode().add(NODES.objectNode())));
        for (String text : List.of("", "x", "a".repeat(64), "a".repeat(65), "a".repeat(200), "a".repeat(201),
                "a".repeat(321), "\uD83D\uDE00".repeat(100), "\uD83D\uDE00".repeat(101), "EUR", "EUR\n", "eur", "EURO",
                "0", "00", "01", "1.", "1.0000", "1.00000", "999999999999999", "1000000000000000", "-1", " 1", "1\n",
                "19.99", "2026-11-22", "2028-02-29", "2026-02-29", "2026-13-01", "0999-01-01", "2026-11-22\n",
                "2026-11-22T10:15:30Z", "2026-11-22T10:15:30.123456789+01:00", "2026-11-22T10:15:30+14:00",
                "2026-11-22T10:15:30+15:00", "2026-11-22T10:15:30-00:00", "2026-11-22T10:15:60Z",
                "2026-11-22t10:15:30z", "2026-11-22T10:15Z", "2026-02-30T10:15:30Z", "2026-11-22T10:15:30+18:00",
                "0000-11-22T10:15:30Z", "2026-11-22T10:15:30Z\n", "2026-11-22T10:15:30.1234567890Z",
                "ada@example.com", "ada@", "delay-apology", "win-back", "SENT", "sent", "EARNED", "UP", "email")) {
            values.add(NODES.textNode(text));
        }
        return values;
    }
}
