package dev.retention.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.DecodeResult.Decoded;
import dev.retention.contracts.DecodeResult.Rejected;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerProfile;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.VoucherRejected;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

class EventDecoderTest {

    private static final ObjectMapper JSON = ContractJson.mapper();
    private final EventDecoder decoder = new EventDecoder();

    @ParameterizedTest
    @EnumSource(EventType.class)
    void everyEventTypeRoundTripsInStructuredMode(EventType type) {
        EventEnvelope<?> event = SampleEvents.envelopeOf(type);

        DecodeResult result = decoder.decode(type.topic(), "c-42", EventEncoder.toStructuredJson(event), Map.of());

        assertThat(result).isEqualTo(new Decoded(event));
    }

    @Test
    void aTriggerCarriesItsRecommendationsAndATriggerWithoutThemStaysAsItWas() {
        TriggerFired sample = (TriggerFired) SampleEvents.dataOf(EventType.TRIGGER_FIRED);
        EventEnvelope<?> recommending = new EventEnvelope<>("evt-r", "/shop/test", EventType.TRIGGER_FIRED,
                SampleEvents.NOW, "c-42", sample.withRecommendations(List.of("sku-7", "sku-3")));

        DecodeResult result = decoder.decode(Topics.RETENTION_TRIGGERS, "c-42",
                EventEncoder.toStructuredJson(recommending), Map.of());

        assertThat(result).isEqualTo(new Decoded(recommending));
        assertThat(((TriggerFired) ((Decoded) result).event().data()).recommendedSkus())
                .containsExactly("sku-7", "sku-3");
        assertThat(new String(EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.TRIGGER_FIRED)),
                StandardCharsets.UTF_8)).doesNotContain("recommendations");
        assertThat(sample.withRecommendations(List.of())).isEqualTo(sample);
    }

    @Test
    void aVoucherRejectedOfAnEarlierVersionWithoutSourceIsStillRead() throws Exception {
        // source was added compatibly: events published before it name no source (they came from orders only).
        ObjectNode json = (ObjectNode) JSON.readTree(
                EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.VOUCHER_REJECTED)));
        ((ObjectNode) json.get("data")).remove("source");

        DecodeResult result = decoder.decode(Topics.RETENTION_TRIGGERS, "c-42", JSON.writeValueAsBytes(json),
                Map.of());

        VoucherRejected data = (VoucherRejected) ((Decoded) result).event().data();
        assertThat(data.source()).isNull();
        assertThat(data.reason()).isEqualTo(VoucherRejected.Reason.ALREADY_REDEEMED);
    }

    @Test
    void aProductIsKeyedBySkuNotByCustomer() {
        EventEnvelope<?> product = new EventEnvelope<>("evt-p", "/shop/test", EventType.PRODUCT_UPDATED,
                SampleEvents.NOW, "sku-1", SampleEvents.dataOf(EventType.PRODUCT_UPDATED));

        assertThat(decoder.decode(Topics.PRODUCTS, "sku-1", EventEncoder.toStructuredJson(product), Map.of()))
                .isEqualTo(new Decoded(product));
        assertRejected(decoder.decode(Topics.PRODUCTS, "c-42", EventEncoder.toStructuredJson(product), Map.of()),
                RejectionReason.KEY_MISMATCH, "key");
    }

    @Test
    void binaryModeReadsAttributesFromHeaders() throws Exception {
        EventEnvelope<?> event = SampleEvents.envelopeOf(EventType.ORDER_PLACED);
        Map<String, byte[]> headers = new HashMap<>();
        headers.put("ce_specversion", utf8("1.0"));
        headers.put("ce_id", utf8(event.id()));
        headers.put("ce_source", utf8(event.source()));
        headers.put("ce_type", utf8("order.placed"));
        headers.put("ce_time", utf8("2026-11-22T11:15:30+01:00"));
        headers.put("ce_subject", utf8("c-42"));
        headers.put("content-type", utf8("application/json"));

        DecodeResult result = decoder.decode("orders", "c-42", JSON.writeValueAsBytes(event.data()), headers);

        assertThat(result).isEqualTo(new Decoded(event));
    }

    @Test
    void binaryModeWithUnparseableHeaderTimeIsRejected() throws Exception {
        Map<String, byte[]> headers = new HashMap<>(Map.of("ce_specversion", utf8("1.0"), "ce_id", utf8("e-1"),
                "ce_source", utf8("/s"), "ce_type", utf8("order.cancelled"), "ce_time", utf8("yesterday"),
                "ce_subject", utf8("c-42")));
        byte[] data = JSON.writeValueAsBytes(SampleEvents.dataOf(EventType.ORDER_CANCELLED));

        assertRejected(decoder.decode("orders", "c-42", data, headers),
                RejectionReason.INVALID_ATTRIBUTE, "header:ce_time");
    }

    @Test
    void emptyRecordIsRejected() {
        assertRejected(decoder.decode("orders", "c-42", new byte[0], Map.of()), RejectionReason.EMPTY_RECORD, "record");
        assertRejected(decoder.decode("orders", "c-42", null, Map.of()), RejectionReason.EMPTY_RECORD, "record");
    }

    @Test
    void recordOverTheSizeLimitIsRejectedBeforeParsing() {
        byte[] big = new byte[EventDecoder.DEFAULT_MAX_RECORD_BYTES + 1];
        java.util.Arrays.fill(big, (byte) ' ');

        Rejected rejected = assertRejected(decoder.decode("orders", "c-42", big, Map.of()),
                RejectionReason.TOO_LARGE, "record");
        assertThat(rejected.detail()).contains("262145 bytes");
    }

    @Test
    void invalidUtf8IsRejected() {
        byte[] bytes = {'{', '"', 'i', 'd', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}'};

        assertRejected(decoder.decode("orders", "c-42", bytes, Map.of()), RejectionReason.INVALID_UTF8, "$");
    }

    @Test
    void malformedJsonAndTrailingGarbageAreRejected() {
        assertRejected(decoder.decode("orders", "c-42", utf8("{\"id\":"), Map.of()), RejectionReason.INVALID_JSON, "$");
        byte[] valid = EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.ORDER_CANCELLED));
        byte[] trailing = (new String(valid, StandardCharsets.UTF_8) + " {}").getBytes(StandardCharsets.UTF_8);
        assertRejected(decoder.decode("orders", "c-42", trailing, Map.of()), RejectionReason.INVALID_JSON, "$");
        assertRejected(decoder.decode("orders", "c-42", utf8("[1,2]"), Map.of()), RejectionReason.INVALID_JSON, "$");
    }

    @Test
    void duplicateJsonKeysAreRejected() {
        String json = "{\"specversion\":\"1.0\",\"id\":\"a\",\"id\":\"b\"}";

        assertRejected(decoder.decode("orders", "c-42", utf8(json), Map.of()), RejectionReason.INVALID_JSON, "$");
    }

    @Test
    void duplicateKeysDeepInTheDataAreRejected() {
        String event = new String(EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.ORDER_PLACED)),
                StandardCharsets.UTF_8);
        String duplicated = event.replace("\"sku\":\"sku-1\"", "\"sku\":\"sku-1\",\"sku\":\"sku-2\"");
        assertThat(duplicated).isNotEqualTo(event);

        assertRejected(decoder.decode("orders", "c-42", utf8(duplicated), Map.of()), RejectionReason.INVALID_JSON,
                "$");
    }

    @Test
    void dataWithDuplicateKeysIsRejectedInBinaryModeToo() {
        Map<String, byte[]> headers = new HashMap<>(Map.of("ce_specversion", utf8("1.0"), "ce_id", utf8("e-1"),
                "ce_source", utf8("/s"), "ce_type", utf8("order.cancelled"), "ce_time", utf8("2026-11-22T10:15:30Z"),
                "ce_subject", utf8("c-42")));
        String data = "{\"orderId\":\"o-1\",\"orderId\":\"o-2\",\"cancelledAt\":\"2026-11-22T10:15:30Z\"}";

        assertRejected(decoder.decode("orders", "c-42", utf8(data), headers), RejectionReason.INVALID_JSON,
                "$.data");
    }

    @Test
    void missingIdIsRejected() {
        assertRejected(decodeOrderPlacedWith(e -> e.remove("id")), RejectionReason.MISSING_ATTRIBUTE, "$.id");
    }

    @Test
    void missingOrBlankSubjectIsRejected() {
        assertRejected(decodeOrderPlacedWith(e -> e.remove("subject")), RejectionReason.MISSING_ATTRIBUTE,
                "$.subject");
        assertRejected(decodeOrderPlacedWith(e -> e.put("subject", "  ")), RejectionReason.INVALID_ATTRIBUTE,
                "$.subject");
    }

    @Test
    void attributeOfTheWrongJsonTypeIsRejected() {
        Rejected rejected = assertRejected(decodeOrderPlacedWith(e -> e.put("id", 17)),
                RejectionReason.INVALID_ATTRIBUTE, "$.id");
        assertThat(rejected.detail()).contains("must be a string");
    }

    @Test
    void otherSpecVersionIsRejected() {
        assertRejected(decodeOrderPlacedWith(e -> e.put("specversion", "0.3")),
                RejectionReason.UNSUPPORTED_SPEC_VERSION, "$.specversion");
    }

    @Test
    void unknownEventTypeIsRejected() {
        Rejected rejected = assertRejected(decodeOrderPlacedWith(e -> e.put("type", "order.teleported")),
                RejectionReason.UNKNOWN_TYPE, "$.type");
        assertThat(rejected.detail()).contains("order.teleported");
    }

    @Test
    void eventOnTheWrongTopicIsRejected() {
        byte[] value = EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.REVIEW_SUBMITTED));

        assertRejected(decoder.decode("orders", "c-42", value, Map.of()), RejectionReason.WRONG_TOPIC, "$.type");
    }

    @Test
    void recordKeyMustBeTheCustomerId() {
        byte[] value = EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.ORDER_CANCELLED));

        assertRejected(decoder.decode("orders", "c-other", value, Map.of()), RejectionReason.KEY_MISMATCH, "key");
        assertRejected(decoder.decode("orders", null, value, Map.of()), RejectionReason.KEY_MISMATCH, "key");
    }

    @Test
    void unparseableEventTimeIsRejected() {
        assertRejected(decodeOrderPlacedWith(e -> e.put("time", "22.11.2026 10:15")),
                RejectionReason.INVALID_ATTRIBUTE, "$.time");
    }

    @Test
    void unparseableDateInDataIsRejectedWithItsPath() {
        EventEnvelope<?> event = SampleEvents.envelopeOf(EventType.SHIPMENT_DISPATCHED);
        ObjectNode json = toJson(event);
        ((ObjectNode) json.get("data")).put("promisedDeliveryDate", "2026-13-45");

        assertRejected(decoder.decode("shipments", "c-42", bytes(json), Map.of()), RejectionReason.SCHEMA_VIOLATION,
                "$.data.promisedDeliveryDate");
    }

    @Test
    void floatMoneyIsRejectedWithItsPath() {
        Rejected rejected = assertRejected(decodeOrderPlacedWith(e -> data(e).put("merchandiseTotal", 39.98)),
                RejectionReason.SCHEMA_VIOLATION, "$.data.merchandiseTotal");
        assertThat(rejected.detail()).contains("string");
    }

    @Test
    void floatMoneyInsideALineIsRejectedWithTheLinePath() {
        assertRejected(decodeOrderPlacedWith(e -> ((ObjectNode) data(e).get("lines").get(0)).put("unitPrice", 19.99)),
                RejectionReason.SCHEMA_VIOLATION, "$.data.lines[0].unitPrice");
    }

    @Test
    void negativeMoneyIsRejected() {
        assertRejected(decodeOrderPlacedWith(e -> data(e).put("merchandiseTotal", "-5.00")),
                RejectionReason.SCHEMA_VIOLATION, "$.data.merchandiseTotal");
    }

    @Test
    void unknownCurrencyIsRejectedWithoutListingEveryCurrency() {
        Rejected rejected = assertRejected(decodeOrderPlacedWith(e -> data(e).put("currency", "XYZ")),
                RejectionReason.SCHEMA_VIOLATION, "$.data.currency");
        assertThat(rejected.detail()).startsWith("\"XYZ\" is not one of the").hasSizeLessThan(100);
    }

    @Test
    void theFirstFailingFieldIsTheFirstInTheRecordNotInTheAlphabet() {
        Rejected rejected = assertRejected(decodeOrderPlacedWith(e -> {
            ObjectNode line = (ObjectNode) data(e).get("lines").get(0);
            line.put("unitPrice", 19.99);
            line.put("lineTotal", 19.99);
        }), RejectionReason.SCHEMA_VIOLATION, "$.data.lines[0].unitPrice");
        assertThat(rejected.detail()).contains("1 more").contains("lineTotal");
    }

    @Test
    void aRuleBeyondTheSchemaNamesTheFirstFieldInTheRecordToo() {
        // The lines come before the totals in the record; the rules list the totals first.
        assertRejected(decodeOrderPlacedWith(e -> {
            data(e).put("currency", "JPY");
            ((ObjectNode) data(e).get("lines").get(0)).put("unitPrice", "19.99");
        }), RejectionReason.SCHEMA_VIOLATION, "$.data.lines[0].unitPrice");
    }

    @Test
    void aRegistrationNamingOnlySomeChannelsIsAcceptedWithTheOthersWithoutConsent() {
        ObjectNode json = toJson(SampleEvents.envelopeOf(EventType.CUSTOMER_REGISTERED));
        ObjectNode consents = ((ObjectNode) json.get("data")).putObject("consents");
        consents.put("email", true);

        DecodeResult result = decoder.decode("customers", "c-42", bytes(json), Map.of());

        assertThat(result).isInstanceOf(Decoded.class);
        assertThat(((Decoded) result).event().dataAs(CustomerRegistered.class).consents())
                .isEqualTo(new ChannelConsents(true, false, false, false));
    }

    @Test
    void moreDecimalsThanTheCurrencyHasAreRejected() {
        assertRejected(decodeOrderPlacedWith(e -> data(e).put("merchandiseTotal", "39.985")),
                RejectionReason.SCHEMA_VIOLATION, "$.data.merchandiseTotal");
        // Every amount has decimals in JPY; the lines come first in the record.
        assertRejected(decodeOrderPlacedWith(e -> data(e).put("currency", "JPY")),
                RejectionReason.SCHEMA_VIOLATION, "$.data.lines[0].unitPrice");
    }

    @Test
    void wrongJsonTypeInDataIsRejectedWithItsPath() {
        EventEnvelope<?> event = SampleEvents.envelopeOf(EventType.REVIEW_SUBMITTED);
        ObjectNode json = toJson(event);
        ((ObjectNode) json.get("data")).put("rating", "five");

        Rejected rejected = assertRejected(decoder.decode("reviews", "c-42", bytes(json), Map.of()),
                RejectionReason.SCHEMA_VIOLATION, "$.data.rating");
        assertThat(rejected.detail()).contains("integer");
    }

    @Test
    void ratingOutOfRangeIsRejected() {
        EventEnvelope<?> event = SampleEvents.envelopeOf(EventType.REVIEW_SUBMITTED);
        ObjectNode json = toJson(event);
        ((ObjectNode) json.get("data")).put("rating", 6);

        assertRejected(decoder.decode("reviews", "c-42", bytes(json), Map.of()), RejectionReason.SCHEMA_VIOLATION,
                "$.data.rating");
    }

    @Test
    void missingDataFieldIsNamed() {
        assertRejected(decodeOrderPlacedWith(e -> data(e).remove("orderId")), RejectionReason.SCHEMA_VIOLATION,
                "$.data.orderId");
    }

    @Test
    void missingDataIsRejected() {
        assertRejected(decodeOrderPlacedWith(e -> e.remove("data")), RejectionReason.MISSING_ATTRIBUTE, "$.data");
    }

    @Test
    void aTimeZoneThisJvmDoesNotKnowIsKeptAndReadAsTheDefault() {
        EventEnvelope<?> event = SampleEvents.envelopeOf(EventType.CUSTOMER_REGISTERED);
        ObjectNode json = toJson(event);
        ((ObjectNode) json.get("data")).put("timeZone", "Mars/Olympus_Mons");

        DecodeResult result = decoder.decode("customers", "c-42", bytes(json), Map.of());

        assertThat(result).isInstanceOf(Decoded.class);
        String zone = ((Decoded) result).event().dataAs(CustomerRegistered.class).timeZone();
        assertThat(zone).isEqualTo("Mars/Olympus_Mons");
        assertThat(CustomerProfile.zoneOr(zone, ZoneOffset.UTC)).isEqualTo(ZoneOffset.UTC);
        assertThat(CustomerProfile.zoneOr("Europe/Berlin", ZoneOffset.UTC)).isEqualTo(ZoneId.of("Europe/Berlin"));
    }

    @Test
    void aBirthDateBefore1900IsRejected() {
        ObjectNode json = toJson(SampleEvents.envelopeOf(EventType.CUSTOMER_REGISTERED));
        ((ObjectNode) json.get("data")).put("birthDate", "1899-12-31");

        assertRejected(decoder.decode("customers", "c-42", bytes(json), Map.of()), RejectionReason.SCHEMA_VIOLATION,
                "$.data.birthDate");
    }

    @Test
    void unknownFieldsAreToleratedForForwardCompatibility() {
        DecodeResult result = decodeOrderPlacedWith(e -> {
            e.put("traceparent", "00-abc-def-01");
            data(e).put("giftWrap", true);
        });

        assertThat(result).isInstanceOf(Decoded.class);
        assertThat(((Decoded) result).event().dataAs(OrderPlaced.class).orderId()).isEqualTo("o-1");
    }

    @Test
    void moneyIsWrittenAsDecimalStrings() {
        String json = new String(EventEncoder.toStructuredJson(SampleEvents.envelopeOf(EventType.ORDER_PLACED)),
                StandardCharsets.UTF_8);

        assertThat(json).contains("\"merchandiseTotal\":\"39.98\"").contains("\"discountTotal\":\"0\"")
                .contains("\"time\":\"2026-11-22T10:15:30Z\"");
    }

    private DecodeResult decodeOrderPlacedWith(Consumer<ObjectNode> change) {
        ObjectNode json = toJson(SampleEvents.envelopeOf(EventType.ORDER_PLACED));
        change.accept(json);
        return decoder.decode("orders", "c-42", bytes(json), Map.of());
    }

    @ParameterizedTest
    @EnumSource(EventType.class)
    void announcedTypeIsReadWithoutDecodingTheRecord(EventType type) {
        EventEnvelope<?> event = SampleEvents.envelopeOf(type);

        assertThat(decoder.announcedType(EventEncoder.toStructuredJson(event), Map.of())).contains(type);
    }

    @Test
    void announcedTypeIsFoundAfterTheDataAndInTheBinaryModeHeader() {
        byte[] dataFirst = utf8("{\"data\":{\"nested\":{\"type\":\"order.placed\"},\"list\":[{\"type\":1}]},"
                + "\"type\":\"shipment.delayed\",\"id\":\"e-1\"}");
        Map<String, byte[]> binary = Map.of("ce_specversion", utf8("1.0"), "ce_type", utf8("points.changed"));

        assertThat(decoder.announcedType(dataFirst, Map.of())).contains(EventType.SHIPMENT_DELAYED);
        assertThat(decoder.announcedType(utf8("{}"), binary)).contains(EventType.POINTS_CHANGED);
    }

    @Test
    void aRecordThatNamesNoKnownTypeAnnouncesNone() {
        // Each of these is left to decode(), which dead-letters it with the reason.
        assertThat(decoder.announcedType(utf8("{\"type\":\"order.teleported\"}"), Map.of())).isEmpty();
        assertThat(decoder.announcedType(utf8("{\"type\":7}"), Map.of())).isEmpty();
        assertThat(decoder.announcedType(utf8("{\"id\":\"e-1\", not json"), Map.of())).isEmpty();
        assertThat(decoder.announcedType(utf8("[\"order.placed\"]"), Map.of())).isEmpty();
        assertThat(decoder.announcedType(utf8("{\"id\":\"e-1\"}"), Map.of())).isEmpty();
        assertThat(decoder.announcedType(new byte[0], Map.of())).isEmpty();
        assertThat(decoder.announcedType(null, Map.of())).isEmpty();
        assertThat(decoder.announcedType(utf8("{}"), Map.of("ce_specversion", utf8("1.0")))).isEmpty();
        byte[] tooLarge = utf8("{\"type\":\"order.placed\",\"data\":\"" + "x".repeat(300 * 1024) + "\"}");
        assertThat(decoder.announcedType(tooLarge, Map.of())).isEmpty();
    }

    private static Rejected assertRejected(DecodeResult result, RejectionReason reason, String field) {
        assertThat(result).isInstanceOf(Rejected.class);
        Rejected rejected = (Rejected) result;
        assertThat(rejected.reason()).as(rejected.toString()).isEqualTo(reason);
        assertThat(rejected.field()).as(rejected.toString()).isEqualTo(field);
        assertThat(rejected.detail()).isNotBlank();
        return rejected;
    }

    private static ObjectNode data(ObjectNode event) {
        return (ObjectNode) event.get("data");
    }

    private static ObjectNode toJson(EventEnvelope<?> event) {
        try {
            return (ObjectNode) JSON.readTree(EventEncoder.toStructuredJson(event));
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] bytes(ObjectNode json) {
        try {
            return JSON.writeValueAsBytes(json);
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] utf8(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
