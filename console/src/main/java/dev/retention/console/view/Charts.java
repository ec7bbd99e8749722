package dev.retention.console.view;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

/**
 * Charts as SVG drawn on the server: no script, so the strict Content-Security-Policy holds and every chart is in the
 * page a test or a screen reader reads. Each mark carries a {@code <title>} with its value, each chart a title, and the
 * pages show the numbers as a table beside it.
 */
public final class Charts {

    private static final int WIDTH = 720;

    private Charts() {
    }

    /** An estimate with its interval for one row of a forest plot: uplift per trigger against the holdout group. */
    public record Interval(String label, double estimate, double low, double high) {
    }

    /** A named series of values along the x labels; null where there is no value. */
    public record Series(String name, List<Double> values) {
    }

    /**
     * A forest plot: each row's estimate as a dot and its 95 % interval as a line, around a dashed zero line. An
     * interval wholly right of zero is an uplift the data supports.
     */
    public static String intervals(String title, List<Interval> rows, Function<Double, String> format) {
        int rowHeight = 34;
        int left = 170;
        int right = 30;
        int top = 30;
        int height = top + rows.size() * rowHeight + 30;
        double min = Math.min(0, rows.stream().mapToDouble(Interval::low).min().orElse(0));
        double max = Math.max(0, rows.stream().mapToDouble(Interval::high).max().orElse(0));
        if (max - min < 1e-9) {
            max = min + 1;
        }
        double pad = (max - min) * 0.08;
        Scale x = new Scale(min - pad, max + pad, left, WIDTH - right);
        StringBuilder svg = open(title, WIDTH, height);
        double zero = x.at(0);
        svg.append(line(zero, top - 10, zero, height - 25, "zero"));
        svg.append(text(zero, height - 8, "middle", format.apply(0.0)));
        svg.append(text(x.at(min - pad), height - 8, "start", format.apply(min - pad)));
        svg.append(text(x.at(max + pad), height - 8, "end", format.apply(max + pad)));
        for (int i = 0; i < rows.size(); i++) {
            Interval row = rows.get(i);
            double y = top + i * rowHeight + rowHeight / 2.0;
            String value = format.apply(row.estimate()) + " [" + format.apply(row.low()) + "; " + format.apply(row.high()) + "]";
            svg.append("<g class=\"row\" data-label=\"").append(escape(row.label())).append("\" data-estimate=\"")
                    .append(number(row.estimate())).append("\" data-low=\"").append(number(row.low()))
                    .append("\" data-high=\"").append(number(row.high())).append("\"><title>").append(escape(row.label()))
                    .append(": ").append(escape(value)).append("</title>");
            svg.append(text(left - 10, y + 4, "end", row.label()));
            svg.append(line(x.at(row.low()), y, x.at(row.high()), y, "interval"));
            svg.append(line(x.at(row.low()), y - 6, x.at(row.low()), y + 6, "interval"));
            svg.append(line(x.at(row.high()), y - 6, x.at(row.high()), y + 6, "interval"));
            svg.append(String.format(Locale.ROOT, "<circle class=\"estimate\" cx=\"%.1f\" cy=\"%.1f\" r=\"5\"/>",
                    x.at(row.estimate()), y));
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    /** Lines over months (or any labels): retention rate and repeat purchase rate, liability. */
    public static String lines(String title, List<String> labels, List<Series> series, Function<Double, String> format) {
        int height = 260;
        int left = 70;
        int bottom = 40;
        int top = 20;
        double max = series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).max().orElse(1);
        double min = Math.min(0, series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).min().orElse(0));
        if (max - min < 1e-9) {
            max = min + 1;
        }
        Scale y = new Scale(min, max, height - bottom, top);
        Scale x = new Scale(0, Math.max(labels.size() - 1, 1), left + 10, WIDTH - 20);
        StringBuilder svg = open(title, WIDTH, height);
        axes(svg, y, min, max, left, height - bottom, format);
        labelsAlongX(svg, labels, x, height);
        for (int s = 0; s < series.size(); s++) {
            Series one = series.get(s);
            String css = s == 0 ? "line-a" : "line-b";
            StringBuilder points = new StringBuilder();
            List<String> dots = new ArrayList<>();
            for (int i = 0; i < one.values().size() && i < labels.size(); i++) {
                Double value = one.values().get(i);
                if (value == null) {
                    continue;
                }
                points.append(String.format(Locale.ROOT, "%.1f,%.1f ", x.at(i), y.at(value)));
                dots.add(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3\" class=\"%s-dot\"><title>%s, %s: %s</title></circle>",
                        x.at(i), y.at(value), css, escape(one.name()), escape(labels.get(i)), escape(format.apply(value))));
            }
            svg.append("<g class=\"series\" data-series=\"").append(escape(one.name())).append("\">");
            svg.append("<polyline class=\"").append(css).append("\" points=\"").append(points.toString().trim()).append("\"/>");
            dots.forEach(svg::append);
            svg.append("</g>");
        }
        return svg.append("</svg>").toString();
    }

    /** Bars side by side per label (one or two series): points issued and redeemed, tiers, a draft against in force. */
    public static String bars(String title, List<String> labels, List<Series> series, Function<Double, String> format) {
        int height = 260;
        int left = 70;
        int bottom = 40;
        int top = 20;
        double max = Math.max(series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).max().orElse(1), 1e-9);
        double min = Math.min(0, series.stream().flatMap(s -> s.values().stream()).filter(v -> v != null)
                .mapToDouble(Double::doubleValue).min().orElse(0));
        Scale y = new Scale(min, max, height - bottom, top);
        double slot = (WIDTH - left - 20) / (double) Math.max(labels.size(), 1);
        double barWidth = Math.max(2, slot * 0.8 / Math.max(series.size(), 1));
        StringBuilder svg = open(title, WIDTH, height);
        axes(svg, y, min, max, left, height - bottom, format);
        for (int i = 0; i < labels.size(); i++) {
            double slotStart = left + 10 + i * slot;
            svg.append(text(slotStart + slot / 2, height - bottom + 16, "middle", labels.get(i)));
            for (int s = 0; s < series.size(); s++) {
                Double value = i < series.get(s).values().size() ? series.get(s).values().get(i) : null;
                if (value == null) {
                    continue;
                }
                double x = slotStart + slot * 0.1 + s * barWidth;
                double yTop = Math.min(y.at(value), y.at(0));
                double barHeight = Math.abs(y.at(0) - y.at(value));
                svg.append(String.format(Locale.ROOT,
                        "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\"><title>%s, %s: %s</title></rect>",
                        s == 0 ? "bar-a" : "bar-b", x, yTop, barWidth - 1, barHeight, escape(series.get(s).name()),
                        escape(labels.get(i)), escape(format.apply(value))));
            }
        }
        return svg.append("</svg>").toString();
    }

    /** The shade (0 to 9) of a heat-map cell for a rate between 0 and the table's largest rate. */
    public static String heat(Double rate, double largest) {
        if (rate == null) {
            return "heat-none";
        }
        if (largest <= 0) {
            return "heat-0";
        }
        int bucket = (int) Math.floor(Math.min(rate / largest, 1.0) * 9.999);
        return "heat-" + Math.max(0, Math.min(9, bucket));
    }

    private static void axes(StringBuilder svg, Scale y, double min, double max, int left, int baseline,
                             Function<Double, String> format) {
        for (int i = 0; i <= 4; i++) {
            double value = min + (max - min) * i / 4;
            svg.append(line(left, y.at(value), WIDTH - 10, y.at(value), "grid"));
            svg.append(text(left - 6, y.at(value) + 4, "end", format.apply(value)));
        }
        svg.append(line(left, y.at(min), left, y.at(max), "axis"));
        svg.append(line(left, baseline, WIDTH - 10, baseline, "axis"));
    }

    private static void labelsAlongX(StringBuilder svg, List<String> labels, Scale x, int height) {
        int every = Math.max(1, (int) Math.ceil(labels.size() / 12.0));
        for (int i = 0; i < labels.size(); i += every) {
            svg.append(text(x.at(i), height - 20, "middle", labels.get(i)));
        }
    }

    private static StringBuilder open(String title, int width, int height) {
        return new StringBuilder(String.format(Locale.ROOT,
                "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"%s\"><title>%s</title>",
                width, height, width, height, escape(title), escape(title)));
    }

    private static String line(double x1, double y1, double x2, double y2, String css) {
        return String.format(Locale.ROOT, "<line class=\"%s\" x1=\"%.1f\" y1=\"%.1f\" x2=\"%.1f\" y2=\"%.1f\"/>", css, x1,
                y1, x2, y2);
    }

    private static String text(double x, double y, String anchor, String content) {
        return String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%.1f\" text-anchor=\"%s\">%s</text>", x, y, anchor,
                escape(content));
    }

    private static String number(double value) {
        return String.format(Locale.ROOT, "%.6f", value);
    }

    static String escape(String text) {
        return text == null ? "" : text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
                .replace("\"", "&quot;").replace("'", "&#39;");
    }

    /** A linear map from data values to pixels. */
    private record Scale(double from, double to, double pixelFrom, double pixelTo) {
        double at(double value) {
            return pixelFrom + (value - from) / (to - from) * (pixelTo - pixelFrom);
        }
    }
}
