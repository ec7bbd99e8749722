package dev.retention.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.events.FieldViolation;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

/**
 * Orders violations as their fields stand in the record, so "the first failing field" is the one a reader meets
 * first ({@code lines[0].unitPrice} before {@code lines[0].lineTotal} when the line lists them so), not the first in
 * the alphabet. A missing member sorts after its object's present ones.
 */
final class DocumentOrder {

    private DocumentOrder() {
    }

    /** Compares violations by where their {@code $.data...} paths point in {@code data}. */
    static Comparator<FieldViolation> of(JsonNode data) {
        return (a, b) -> compare(position(data, a.field()), position(data, b.field()));
    }

    /** The member and item indexes along a path; a name the object lacks gets its size (after every member). */
    static List<Integer> position(JsonNode data, String field) {
        List<Integer> position = new ArrayList<>();
        JsonNode node = data;
        for (String step : steps(field)) {
            if (step.startsWith("[")) {
                int index = Integer.parseInt(step.substring(1, step.length() - 1));
                position.add(index);
                node = node == null ? null : node.get(index);
            } else {
                position.add(memberIndex(node, step));
                node = node == null ? null : node.get(step);
            }
        }
        return position;
    }

    private static int memberIndex(JsonNode object, String name) {
        if (object == null || !object.isObject()) {
            return Integer.MAX_VALUE;
        }
        int index = 0;
        for (Iterator<String> names = object.fieldNames(); names.hasNext(); index++) {
            if (names.next().equals(name)) {
                return index;
            }
        }
        return index;
    }

    /** {@code $.data.lines[0].unitPrice} as {@code lines, [0], unitPrice}; the prefix names the data itself. */
    private static List<String> steps(String field) {
        List<String> steps = new ArrayList<>();
        String rest = field.startsWith("$.data") ? field.substring("$.data".length()) : field;
        int i = 0;
        while (i < rest.length()) {
            char c = rest.charAt(i);
            if (c == '.') {
                int end = i + 1;
                while (end < rest.length() && rest.charAt(end) != '.' && rest.charAt(end) != '[') {
                    end++;
                }
                steps.add(rest.substring(i + 1, end));
                i = end;
            } else if (c == '[') {
                int end = rest.indexOf(']', i);
                if (end < 0) {
                    break;
                }
                String inside = rest.substring(i, end + 1);
                // A quoted member name (['odd.name']) is a member, not an item.
                steps.add(inside.startsWith("['") ? inside.substring(2, inside.length() - 2) : inside);
                i = end + 1;
            } else {
                i++;
            }
        }
        return steps;
    }

    private static int compare(List<Integer> a, List<Integer> b) {
        for (int i = 0; i < Math.min(a.size(), b.size()); i++) {
            int byStep = Integer.compare(a.get(i), b.get(i));
            if (byStep != 0) {
                return byStep;
            }
        }
        return Integer.compare(a.size(), b.size());
    }
}
