package dev.retention.points.persistence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.retention.points.domain.OrderFacts;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code points_order.earning_facts}: an order's {@link OrderFacts} as short-keyed JSON, {@code {"c": channel,
 * "r": points-redeemed value, "t": tier the rules judged, "f": first order, "l": [[sku, category, line total], ...]}}
 * (absent keys: null). Amounts are decimal strings, so they read back exactly. Streamed both ways: a simulation reads a
 * million of them.
 */
public final class OrderFactsJson {

    private static final JsonFactory JSON = new JsonFactory();

    private OrderFactsJson() {
    }

    public static String write(OrderFacts facts) {
        if (facts == null) {
            return null;
        }
        StringWriter out = new StringWriter(64 + 40 * facts.lines().size());
        try (JsonGenerator json = JSON.createGenerator(out)) {
            json.writeStartObject();
            if (facts.channel() != null) {
                json.writeStringField("c", facts.channel());
            }
            if (facts.pointsRedeemedValue() != null && facts.pointsRedeemedValue().signum() != 0) {
                json.writeStringField("r", facts.pointsRedeemedValue().toPlainString());
            }
            if (facts.rulesTier() != null) {
                json.writeStringField("t", facts.rulesTier());
            }
            json.writeBooleanField("f", facts.firstOrder());
            json.writeArrayFieldStart("l");
            for (OrderFacts.Line line : facts.lines()) {
                json.writeStartArray();
                json.writeString(line.sku());
                json.writeString(line.category());
                json.writeString(line.lineTotal() == null ? null : line.lineTotal().toPlainString());
                json.writeEndArray();
            }
            json.writeEndArray();
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    public static OrderFacts read(String text) {
        if (text == null) {
            return null;
        }
        String channel = null;
        BigDecimal redeemed = BigDecimal.ZERO;
        String tier = null;
        boolean first = false;
        List<OrderFacts.Line> lines = new ArrayList<>();
        try (JsonParser json = JSON.createParser(text)) {
            expect(json.nextToken(), JsonToken.START_OBJECT, text);
            while (json.nextToken() == JsonToken.FIELD_NAME) {
                String field = json.currentName();
                JsonToken value = json.nextToken();
                switch (field) {
                    case "c" -> channel = json.getValueAsString();
                    case "r" -> redeemed = new BigDecimal(json.getValueAsString());
                    case "t" -> tier = json.getValueAsString();
                    case "f" -> first = value == JsonToken.VALUE_TRUE;
                    case "l" -> {
                        expect(value, JsonToken.START_ARRAY, text);
                        while (json.nextToken() == JsonToken.START_ARRAY) {
                            json.nextToken();
                            String sku = json.getValueAsString();
                            json.nextToken();
                            String category = json.getValueAsString();
                            json.nextToken();
                            String total = json.getValueAsString();
                            expect(json.nextToken(), JsonToken.END_ARRAY, text);
                            lines.add(new OrderFacts.Line(sku, category, total == null ? null : new BigDecimal(total)));
                        }
                    }
                    default -> json.skipChildren();
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("unreadable earning facts of an order: " + text, e);
        }
        return new OrderFacts(channel, redeemed, tier, first, lines);
    }

    private static void expect(JsonToken found, JsonToken expected, String text) {
        if (found != expected) {
            throw new IllegalStateException("unreadable earning facts of an order: " + text);
        }
    }
}
