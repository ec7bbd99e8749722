package dev.retention.console.view;

import com.fasterxml.jackson.databind.JsonNode;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Two maps of figures side by side, as a simulation reports them ({@code byRule}, {@code byTier}, a distribution):
 * each key of either side with the value in force, the draft's value and the difference; a key one side lacks counts 0.
 */
public record Comparison(List<Row> rows) {

    public record Row(String key, BigDecimal inForce, BigDecimal draft, BigDecimal difference) {
    }

    public static Comparison of(JsonNode inForce, JsonNode draft) {
        Set<String> keys = new LinkedHashSet<>();
        inForce.fieldNames().forEachRemaining(keys::add);
        draft.fieldNames().forEachRemaining(keys::add);
        List<Row> rows = new ArrayList<>();
        for (String key : keys) {
            BigDecimal a = number(inForce.get(key));
            BigDecimal b = number(draft.get(key));
            rows.add(new Row(key, a, b, b.subtract(a)));
        }
        return new Comparison(List.copyOf(rows));
    }

    public List<String> keys() {
        return rows.stream().map(Row::key).toList();
    }

    public List<Double> inForceValues() {
        return rows.stream().map(r -> r.inForce().doubleValue()).toList();
    }

    public List<Double> draftValues() {
        return rows.stream().map(r -> r.draft().doubleValue()).toList();
    }

    static BigDecimal number(JsonNode node) {
        if (node == null || node.isNull()) {
            return BigDecimal.ZERO;
        }
        if (node.isNumber()) {
            return node.decimalValue();
        }
        try {
            return new BigDecimal(node.asText());
        } catch (NumberFormatException notANumber) {
            return BigDecimal.ZERO;
        }
    }
}
