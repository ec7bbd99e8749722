package dev.retention.eventing.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.DecodeResult.Decoded;
import dev.retention.contracts.DecodeResult.Rejected;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.RejectionReason;
import dev.retention.testsupport.schema.JsonSchemaArbitraries;
import dev.retention.testsupport.schema.SchemaMutations;
import dev.retention.testsupport.schema.SchemaMutations.Mutation;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.statistics.Statistics;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.util.Currency;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Events generated from the JSON Schemas themselves, decoded as every service decodes its records (the eventing kit's
 * {@link EventDecoder}): every event the contract admits is accepted and decodes to the values sent; every single fault
 * is refused naming that field. A schema change changes what is generated; a failure shrinks to a minimal event.
 */
class GeneratedEventsTest {

    /**
     * Each of the two properties runs about 45 s at 20,000, and the whole suite should stay within about 30 minutes
     * (README, "Test it").
     */
    private static final int TRIES = 10_000;
    /**
     * What every type must get at least: three quarters of the share it is expected to get, more than four standard
     * deviations below it for any number of types up to a few dozen (about 290 of 385 with 26 types), so that a new
     * type does not make the check flaky.
     */
    private static final int PER_TYPE = TRIES * 3 / 4 / EventType.values().length;

    private static final ObjectMapper JSON = ContractJson.mapper();
    private static final JsonSchemaArbitraries SCHEMAS = JsonSchemaArbitraries.eventSchemas();
    private static final SchemaMutations MUTATIONS = new SchemaMutations(SCHEMAS);

    private final EventDecoder decoder = new EventDecoder();

    /** A generated record: the event type, its data as sent, and its bytes and headers on the wire. */
    record Generated(EventType type, String id, String subject, String time, JsonNode data, boolean binaryMode) {

        byte[] value() {
            if (binaryMode) {
                return bytes(data);
            }
            ObjectNode event = JSON.createObjectNode();
            event.put("specversion", "1.0").put("id", id).put("source", "/generated").put("type", type.wireName())
                    .put("time", time).put("subject", subject).set("data", data);
            return bytes(event);
        }

        Map<String, byte[]> headers() {
            if (!binaryMode) {
                return Map.of();
            }
            Map<String, byte[]> headers = new HashMap<>();
            headers.put("ce_specversion", utf8("1.0"));
            headers.put("ce_id", utf8(id));
            headers.put("ce_source", utf8("/generated"));
            headers.put("ce_type", utf8(type.wireName()));
            headers.put("ce_time", utf8(time));
            headers.put("ce_subject", utf8(subject));
            headers.put("content-type", utf8("application/json"));
            return headers;
        }

        @Override
        public String toString() {
            return type.wireName() + (binaryMode ? " (binary) " : " ") + data;
        }
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void everyEventTheContractAdmitsIsAcceptedAndDecodesToTheValuesSent(@ForAll("validEvents") Generated event) {
        Statistics.label("type").collect(event.type().wireName());

        DecodeResult result = decoder.decode(event.type().topic(), event.subject(), event.value(), event.headers());

        assertThat(result).as("%s -> %s", event, result).isInstanceOf(Decoded.class);
        EventEnvelope<?> decoded = ((Decoded) result).event();
        assertThat(decoded.id()).isEqualTo(event.id());
        assertThat(decoded.type()).isEqualTo(event.type());
        assertThat(decoded.subject()).isEqualTo(event.subject());
        assertThat(decoded.time()).isEqualTo(OffsetDateTime.parse(event.time()).toInstant());
        assertSameValues("$.data", event.data(), JSON.valueToTree(decoded.data()));
        Statistics.label("type").coverage(coverage -> {
            for (EventType type : EventType.values()) {
                coverage.check(type.wireName()).count(count -> count >= PER_TYPE);
            }
        });
    }

    @Property(tries = TRIES, edgeCases = EdgeCasesMode.NONE)
    void everySingleFaultIsRefusedNamingItsField(@ForAll("faultyEvents") Faulty faulty) {
        Statistics.label("type").collect(faulty.event().type().wireName());
        Statistics.label("fault").collect(faulty.mutation().kind().replaceAll(" \\(.*", ""));
        Generated event = faulty.event();

        DecodeResult result = decoder.decode(event.type().topic(), event.subject(), event.value(), event.headers());

        assertThat(result).as("%s", faulty.mutation()).isInstanceOf(Rejected.class);
        Rejected rejected = (Rejected) result;
        assertThat(rejected.reason()).as("%s", faulty.mutation()).isEqualTo(RejectionReason.SCHEMA_VIOLATION);
        assertThat(rejected.field()).as("%s: %s", faulty.mutation(), rejected.detail())
                .isEqualTo(faulty.mutation().field());
        Statistics.label("type").coverage(coverage -> {
            for (EventType type : EventType.values()) {
                coverage.check(type.wireName()).count(count -> count >= PER_TYPE);
            }
        });
    }

    @Property(tries = 200)
    void ofTwoFaultsTheFirstInTheRecordIsNamed(@ForAll("validEvents") Generated event) {
        List<Mutation> wrongTypes = MUTATIONS.of(event.type().wireName() + ".json", "#", event.data(), "$.data")
                .stream().filter(m -> m.kind().startsWith("wrong JSON type") && !m.field().contains("[")).toList();
        if (wrongTypes.size() < 2) {
            return;
        }
        // Two top-level members of the wrong type: the one the (shuffled) record lists first is the one named.
        List<String> order = fieldNames(event.data());
        Mutation a = wrongTypes.get(0);
        Mutation b = wrongTypes.get(wrongTypes.size() - 1);
        String nameA = topLevelName(a.field());
        String nameB = topLevelName(b.field());
        if (nameA.equals(nameB)) {
            return;
        }
        ObjectNode both = (ObjectNode) event.data().deepCopy();
        both.set(nameA, a.document().get(nameA));
        both.set(nameB, b.document().get(nameB));
        Generated faulty = new Generated(event.type(), event.id(), event.subject(), event.time(), both, event.binaryMode());

        DecodeResult result = decoder.decode(event.type().topic(), event.subject(), faulty.value(), faulty.headers());

        String first = order.indexOf(nameA) < order.indexOf(nameB) ? nameA : nameB;
        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).field()).as("%s", faulty).isEqualTo("$.data." + first);
    }

    @Property(tries = 200)
    void anUnknownEventTypeIsRefusedNamingTheTypeAttribute(@ForAll("validEvents") Generated event,
                                                           @ForAll("unknownTypes") String type) {
        ObjectNode json = (ObjectNode) parse(new Generated(event.type(), event.id(), event.subject(), event.time(),
                event.data(), false).value());
        json.put("type", type);

        DecodeResult result = decoder.decode(null, event.subject(), bytes(json), Map.of());

        assertThat(result).isInstanceOf(Rejected.class);
        assertThat(((Rejected) result).reason()).isEqualTo(RejectionReason.UNKNOWN_TYPE);
        assertThat(((Rejected) result).field()).isEqualTo("$.type");
    }

    /**
     * The generator's own promise, checked on 1,000 events of each type: every optional top-level member generated
     * present and absent, every value of every enum of up to 20 values that the type's members name.
     */
    @Example
    void theGeneratorCoversEveryOptionalMemberAndEveryEnumValue() {
        for (EventType type : EventType.values()) {
            List<JsonNode> samples = validData(type).sampleStream().limit(PER_TYPE).toList();
            JsonNode schema = schema(type.wireName() + ".json");
            Set<String> required = new HashSet<>();
            schema.path("required").forEach(name -> required.add(name.textValue()));
            for (Iterator<String> names = schema.path("properties").fieldNames(); names.hasNext(); ) {
                String name = names.next();
                long present = samples.stream().filter(data -> data.has(name)).count();
                assertThat(present).as("%s.%s present", type.wireName(), name).isPositive();
                if (!required.contains(name)) {
                    assertThat(present).as("%s.%s absent", type.wireName(), name).isLessThan(samples.size());
                }
                Set<String> allowed = enumValues(schema.path("properties").get(name));
                if (!allowed.isEmpty() && allowed.size() <= 20) {
                    Set<String> seen = new TreeSet<>();
                    samples.forEach(data -> {
                        if (data.has(name)) {
                            seen.add(data.get(name).asText());
                        }
                    });
                    // An optional member with many values (14 trigger types) can miss one in a few hundred samples by
                    // chance (CI saw it): draw on until every value appears, a bounded number of times.
                    validData(type).sampleStream().takeWhile(data -> !seen.containsAll(allowed)).limit(20L * PER_TYPE)
                            .filter(data -> data.has(name)).forEach(data -> seen.add(data.get(name).asText()));
                    assertThat(seen).as("%s.%s values", type.wireName(), name).isEqualTo(allowed);
                }
            }
        }
    }

    /**
     * Amounts at every currency's precision: of 5,000 orders, for each count of minor units the currencies have (0 for
     * JPY, 2 for EUR, 3 for KWD, 4 for CLF), one whose total has exactly that many decimals.
     */
    @Example
    void theGeneratorWritesAmountsAtEveryCurrencysFullPrecision() {
        Set<Integer> precisions = new TreeSet<>();
        schema("common.json").at("/$defs/currency/enum").forEach(code -> precisions.add(minorUnits(code.textValue())));
        precisions.remove(-1);
        Set<Integer> seen = new TreeSet<>();
        // Until every precision is seen (a 4-decimal currency is about 1 % of the draws), at most 50,000 orders.
        validData(EventType.ORDER_PLACED).sampleStream().takeWhile(order -> !seen.containsAll(precisions))
                .limit(50_000).forEach(order -> {
            int minorUnits = minorUnits(order.get("currency").textValue());
            if (new BigDecimal(order.get("merchandiseTotal").textValue()).scale() == minorUnits) {
                seen.add(minorUnits);
            }
        });
        assertThat(precisions).contains(0, 2, 3, 4);
        assertThat(seen).isEqualTo(precisions);
    }

    record Faulty(Generated event, Mutation mutation) {
        @Override
        public String toString() {
            return mutation.toString();
        }
    }

    @Provide
    Arbitrary<Generated> validEvents() {
        return Combinators.combine(typedData(), ENVELOPES).as((typed, envelope) -> envelope.of(typed.type(), typed.data()));
    }

    @Provide
    Arbitrary<Faulty> faultyEvents() {
        // The fault is chosen by a number drawn beside the data, not by a flatMap on it: a run five times shorter.
        return Combinators.combine(typedData(), Arbitraries.integers().between(0, 999_999), ENVELOPES)
                .as((typed, choice, envelope) -> {
                    Mutation mutation = fault(typed.type(), typed.data(), choice);
                    return new Faulty(envelope.of(typed.type(), mutation.document()), mutation);
                });
    }

    @Provide
    Arbitrary<String> unknownTypes() {
        return Arbitraries.oneOf(Arbitraries.of(EventType.values()).map(t -> t.wireName() + ".v99"),
                Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30)
                        .filter(name -> EventType.fromWireName(name).isEmpty()));
    }

    /** Built once per type: a generator rebuilt at every try spends most of the run comparing generators. */
    private static final Map<EventType, Arbitrary<JsonNode>> VALID_DATA = new java.util.EnumMap<>(EventType.class);

    private static synchronized Arbitrary<JsonNode> validData(EventType type) {
        return VALID_DATA.computeIfAbsent(type, t -> SCHEMAS.withUnknownMembers().valid(t.wireName() + ".json")
                .map(data -> honourRules(t, data)));
    }

    /**
     * A fault of the schema or, one time in ten where the data has an amount, of the one rule beyond it that a
     * generator can break on its own: an amount's decimals.
     */
    private static Mutation fault(EventType type, JsonNode data, int choice) {
        Mutation currencyDecimals = choice % 10 == 9 ? tooManyDecimalsForTheCurrency(type, data) : null;
        return currencyDecimals != null ? currencyDecimals
                : MUTATIONS.choose(type.wireName() + ".json", "#", data, "$.data", choice / 10);
    }

    private static final Arbitrary<String> IDS = Arbitraries.strings().ofMinLength(1).ofMaxLength(200).alpha()
            .numeric().withChars("-:_.");
    private static final Arbitrary<String> SUBJECTS = Arbitraries.strings().ofMinLength(1).ofMaxLength(60).alpha()
            .numeric().withChars("-_@.");
    private static final Arbitrary<String> TIMES = SCHEMAS.valid("common.json", "#/$defs/timestamp")
            .map(JsonNode::textValue);

    /** The envelope's attributes, generated apart from the data so that one generator serves every type. */
    record Envelope(String id, String subject, String time, boolean binaryMode) {
        Generated of(EventType type, JsonNode data) {
            return new Generated(type, id, subject, time, data, binaryMode);
        }
    }

    private static final Arbitrary<Envelope> ENVELOPES = Combinators.combine(IDS, SUBJECTS, TIMES,
            Arbitraries.of(false, true)).as(Envelope::new);

    /** A type and data of that type (and the fault put into it, if any). */
    record Typed(EventType type, JsonNode data, Mutation mutation) {
    }

    private static Arbitrary<Typed> typedData() {
        return Arbitraries.oneOf(java.util.Arrays.stream(EventType.values()).map(GeneratedEventsTest::typedData).toList());
    }

    private static final Map<EventType, Arbitrary<Typed>> TYPED_DATA = new java.util.EnumMap<>(EventType.class);

    private static synchronized Arbitrary<Typed> typedData(EventType type) {
        return TYPED_DATA.computeIfAbsent(type, t -> validData(t).map(data -> new Typed(t, data, null)));
    }

    /**
     * The contract's rules beyond the schema (stated in the schemas' descriptions and checked by the records): an
     * amount has no more decimals than its currency's minor units; points redeemed are worth no more than the
     * merchandise.
     */
    static JsonNode honourRules(EventType type, JsonNode generated) {
        ObjectNode data = (ObjectNode) generated.deepCopy();
        String currency = data.path("currency").asText(null);
        for (String field : topLevelAmounts(type)) {
            if (data.has(field)) {
                data.put(field, withinMinorUnits(data.get(field).textValue(), currency));
            }
        }
        if (type == EventType.ORDER_PLACED) {
            for (JsonNode line : data.path("lines")) {
                ObjectNode l = (ObjectNode) line;
                l.put("unitPrice", withinMinorUnits(l.get("unitPrice").textValue(), currency));
                l.put("lineTotal", withinMinorUnits(l.get("lineTotal").textValue(), currency));
            }
            BigDecimal merchandise = new BigDecimal(data.get("merchandiseTotal").textValue());
            if (new BigDecimal(data.get("pointsRedeemedValue").textValue()).compareTo(merchandise) > 0) {
                data.put("pointsRedeemedValue", data.get("merchandiseTotal").textValue());
            }
        }
        moneyWithinMinorUnits(data);
        return data;
    }

    private static List<String> topLevelAmounts(EventType type) {
        return switch (type) {
            case ORDER_PLACED -> List.of("merchandiseTotal", "shippingTotal", "taxTotal", "discountTotal",
                    "orderTotal", "pointsRedeemedValue");
            case ORDER_RETURNED -> List.of("refundedAmount");
            default -> List.of();
        };
    }

    /** Every money object ({@code amount} and {@code currency}) anywhere in the data. */
    private static void moneyWithinMinorUnits(JsonNode node) {
        if (node.isObject()) {
            if (node.has("amount") && node.path("currency").isTextual() && node.get("amount").isTextual()) {
                ((ObjectNode) node).put("amount", withinMinorUnits(node.get("amount").textValue(),
                        node.get("currency").textValue()));
            }
            node.forEach(GeneratedEventsTest::moneyWithinMinorUnits);
        } else if (node.isArray()) {
            node.forEach(GeneratedEventsTest::moneyWithinMinorUnits);
        }
    }

    private static String withinMinorUnits(String amount, String currency) {
        int minorUnits = minorUnits(currency);
        BigDecimal value = new BigDecimal(amount);
        return minorUnits < 0 || value.scale() <= minorUnits ? amount
                : value.setScale(minorUnits, RoundingMode.DOWN).toPlainString();
    }

    private static int minorUnits(String currency) {
        try {
            return currency == null ? -1 : Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException unknownToThisJvm) {
            return -1;
        }
    }

    /** A top-level amount given one decimal more than its currency has (still within the schema's four). */
    private static Mutation tooManyDecimalsForTheCurrency(EventType type, JsonNode data) {
        int minorUnits = minorUnits(data.path("currency").asText(null));
        if (minorUnits < 0 || minorUnits >= 4) {
            return null;
        }
        for (String field : topLevelAmounts(type)) {
            ObjectNode copy = (ObjectNode) data.deepCopy();
            BigDecimal amount = new BigDecimal(copy.get(field).textValue()).setScale(minorUnits, RoundingMode.DOWN)
                    .add(BigDecimal.ONE.movePointLeft(minorUnits + 1));
            copy.put(field, amount.toPlainString());
            if (type == EventType.ORDER_PLACED) {
                // Lines come first in document order: keep them exact so the amount is the first fault.
                copy.put("pointsRedeemedValue", "0");
                if (field.equals("pointsRedeemedValue")) {
                    continue;
                }
            }
            return new Mutation("more decimals than the currency has", "$.data." + field, copy);
        }
        return null;
    }

    /** The same values, read back from the decoded record: times as instants, amounts and text exactly. */
    private static void assertSameValues(String field, JsonNode sent, JsonNode decoded) {
        if (sent.isObject()) {
            assertThat(decoded.isObject()).as(field).isTrue();
            sent.fields().forEachRemaining(member -> {
                if (!member.getKey().startsWith("futureField")) {
                    assertSameValues(field + "." + member.getKey(), member.getValue(),
                            decoded.path(member.getKey()));
                }
            });
            decoded.fields().forEachRemaining(member -> {
                if (!sent.has(member.getKey())) {
                    // Absent on the wire: the record's default (no consent, no attributes), never a value.
                    JsonNode value = member.getValue();
                    assertThat(value.isNull() || value.isBoolean() && !value.booleanValue()
                            || value.isContainerNode() && value.isEmpty())
                            .as("%s.%s absent but decoded as %s", field, member.getKey(), value).isTrue();
                }
            });
        } else if (sent.isArray()) {
            assertThat(decoded.size()).as(field).isEqualTo(sent.size());
            for (int i = 0; i < sent.size(); i++) {
                assertSameValues(field + "[" + i + "]", sent.get(i), decoded.get(i));
            }
        } else if (sent.isNumber()) {
            assertThat(decoded.decimalValue()).as(field).isEqualByComparingTo(sent.decimalValue());
        } else if (sent.isTextual() && !sent.equals(decoded) && sent.textValue().matches("^PT?[0-9].*")) {
            // A duration (the programme's periods) is read as one and written in its own canonical form.
            assertThat(Duration.parse(decoded.textValue())).as(field).isEqualTo(Duration.parse(sent.textValue()));
        } else if (sent.isTextual() && !sent.equals(decoded) && sent.textValue().matches("^\\d{2}:\\d{2}$")) {
            // A local time of day (the birthday's send time) is written with its seconds.
            assertThat(LocalTime.parse(decoded.textValue())).as(field).isEqualTo(LocalTime.parse(sent.textValue()));
        } else if (sent.isTextual() && looksLikeTimestamp(sent.textValue())) {
            assertThat(Instant.parse(decoded.textValue())).as(field)
                    .isEqualTo(OffsetDateTime.parse(sent.textValue()).toInstant());
        } else {
            assertThat(decoded).as(field).isEqualTo(sent);
        }
    }

    private static boolean looksLikeTimestamp(String text) {
        return text.length() >= 20 && text.charAt(10) == 'T' && text.matches("^\\d{4}-\\d{2}-\\d{2}T.*");
    }

    private static Set<String> enumValues(JsonNode property) {
        Set<String> values = new TreeSet<>();
        JsonNode schema = property;
        if (schema.has("$ref") && schema.get("$ref").textValue().startsWith("common.json#")) {
            schema = schema("common.json").at(schema.get("$ref").textValue().substring("common.json#".length()));
        }
        schema.path("enum").forEach(value -> values.add(value.asText()));
        return values;
    }

    private static JsonNode schema(String file) {
        try (var in = GeneratedEventsTest.class.getResourceAsStream("/schemas/" + file)) {
            return JSON.readTree(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static List<String> fieldNames(JsonNode object) {
        List<String> names = new java.util.ArrayList<>();
        object.fieldNames().forEachRemaining(names::add);
        return names;
    }

    private static String topLevelName(String field) {
        String rest = field.substring("$.data.".length());
        int end = rest.indexOf('.');
        return end < 0 ? rest : rest.substring(0, end);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            return JSON.readTree(bytes);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private static byte[] bytes(JsonNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
