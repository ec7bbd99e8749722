package dev.retention.insights.api;

import java.util.List;
import java.util.stream.Collectors;

/** RFC 4180 text for spreadsheets: a header row, then one row per record, fields quoted where they need it. */
final class Csv {

    static final String MEDIA_TYPE = "text/csv";

    private Csv() {
    }

    static String of(List<String> header, List<List<Object>> rows) {
        StringBuilder text = new StringBuilder(line(header.stream().map(Object.class::cast).toList()));
        rows.forEach(row -> text.append(line(row)));
        return text.toString();
    }

    private static String line(List<Object> fields) {
        return fields.stream().map(Csv::field).collect(Collectors.joining(",", "", "\r\n"));
    }

    private static String field(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        // A leading = + - @ would make a spreadsheet evaluate the cell: ids are quoted with a leading apostrophe then.
        if (!text.isEmpty() && "=+@".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.contains(",") || text.contains("\"") || text.contains("\n") || text.contains("\r")) {
            return "\"" + text.replace("\"", "\"\"") + "\"";
        }
        return text;
    }
}
