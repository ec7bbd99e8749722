package dev.retention.console.view;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.DoubleRange;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The server-drawn SVG charts: well-formed, nothing from the data can break out of a text or an attribute, and every
 * mark says its value.
 */
class ChartsTest {

    private static final String HOSTILE = "<script>alert('x')</script> & \"quoted\" <g onload=\"alert(1)\">";
    private static final Function<Double, String> FORMAT = v -> new Formats(Locale.UK).number(v);

    @Property(tries = 200)
    void aForestPlotIsWellFormedAndCarriesEachRowsFigures(@ForAll("intervals") List<Charts.Interval> rows,
                                                          @ForAll("labels") String title) {
        Document svg = parse(Charts.intervals(title, rows, FORMAT));

        assertThat(svg.getDocumentElement().getAttribute("aria-label")).isEqualTo(title);
        List<Element> drawn = elements(svg, "g").stream().filter(g -> "row".equals(g.getAttribute("class"))).toList();
        assertThat(drawn).hasSameSizeAs(rows);
        for (int i = 0; i < rows.size(); i++) {
            Charts.Interval row = rows.get(i);
            Element g = drawn.get(i);
            assertThat(g.getAttribute("data-label")).isEqualTo(row.label());
            // Six decimals in the attribute: equal to the input within the rounding of the last one.
            assertThat(Double.parseDouble(g.getAttribute("data-estimate"))).isCloseTo(row.estimate(), within(5e-7));
            assertThat(Double.parseDouble(g.getAttribute("data-low"))).isCloseTo(row.low(), within(5e-7));
            assertThat(Double.parseDouble(g.getAttribute("data-high"))).isCloseTo(row.high(), within(5e-7));
            assertThat(titleOf(g)).isEqualTo(row.label() + ": " + FORMAT.apply(row.estimate()) + " ["
                    + FORMAT.apply(row.low()) + "; " + FORMAT.apply(row.high()) + "]");
        }
    }

    @Property(tries = 200)
    void eachBarCarriesItsValueInItsTitle(@ForAll("labelLists") List<String> labels, @ForAll("labels") String name,
                                          @ForAll("values") List<Double> values) {
        List<Double> series = values.subList(0, Math.min(values.size(), labels.size()));
        Document svg = parse(Charts.bars("Points", labels, List.of(new Charts.Series(name, series)), FORMAT));

        List<Element> bars = elements(svg, "rect");
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < series.size(); i++) {
            if (series.get(i) != null) {
                expected.add(name + ", " + labels.get(i) + ": " + FORMAT.apply(series.get(i)));
            }
        }
        assertThat(bars.stream().map(ChartsTest::titleOf).toList()).isEqualTo(expected);
        bars.forEach(bar -> assertThat(Double.parseDouble(bar.getAttribute("height"))).isGreaterThanOrEqualTo(0));
    }

    @Property(tries = 200)
    void eachPointOfALineCarriesItsValueInItsTitle(@ForAll("labelLists") List<String> labels,
                                                   @ForAll("labels") String name, @ForAll("values") List<Double> values) {
        Document svg = parse(Charts.lines("Retention", labels, List.of(new Charts.Series(name, values),
                new Charts.Series("second", values)), FORMAT));

        List<String> expected = new ArrayList<>();
        for (int i = 0; i < values.size() && i < labels.size(); i++) {
            if (values.get(i) != null) {
                expected.add(name + ", " + labels.get(i) + ": " + FORMAT.apply(values.get(i)));
            }
        }
        List<String> firstSeries = elements(svg, "circle").stream()
                .filter(c -> c.getAttribute("class").equals("line-a-dot")).map(ChartsTest::titleOf).toList();
        assertThat(firstSeries).isEqualTo(expected);
    }

    @Example
    void aLabelWithMarkupCannotInjectIntoTheSvg() {
        String forest = Charts.intervals(HOSTILE, List.of(new Charts.Interval(HOSTILE, 0.02, -0.01, 0.05)), v -> HOSTILE);
        String bars = Charts.bars(HOSTILE, List.of(HOSTILE), List.of(new Charts.Series(HOSTILE, List.of(3.0))), v -> HOSTILE);
        String lines = Charts.lines(HOSTILE, List.of(HOSTILE), List.of(new Charts.Series(HOSTILE, List.of(3.0))), v -> HOSTILE);

        for (String chart : List.of(forest, bars, lines)) {
            assertThat(chart).doesNotContain("<script").doesNotContain("onload=\"").doesNotContain("'x'");
            Document svg = parse(chart);
            assertThat(elements(svg, "script")).isEmpty();
            // Only the chart's own elements, none from the label.
            for (Element element : elements(svg, "*")) {
                assertThat(element.getTagName()).isIn("svg", "title", "g", "line", "text", "circle", "rect", "polyline");
                assertThat(element.hasAttribute("onload")).isFalse();
            }
            // The label reads as it was written.
            assertThat(svg.getDocumentElement().getAttribute("aria-label")).isEqualTo(HOSTILE);
            assertThat(elements(svg, "title").get(0).getTextContent()).isEqualTo(HOSTILE);
        }
    }

    @Example
    void aForestPlotWithoutRowsIsStillAChart() {
        Document svg = parse(Charts.intervals("Uplift", List.of(), FORMAT));

        assertThat(elements(svg, "g")).isEmpty();
        assertThat(elements(svg, "title").get(0).getTextContent()).isEqualTo("Uplift");
    }

    @Property
    void heatBucketsRiseWithTheRate(@ForAll @DoubleRange(min = 0, max = 1) double a,
                                    @ForAll @DoubleRange(min = 0, max = 1) double b,
                                    @ForAll @DoubleRange(min = 0.01, max = 1000) double largest) {
        double low = Math.min(a, b) * largest;
        double high = Math.max(a, b) * largest;

        int lowBucket = bucket(Charts.heat(low, largest));
        int highBucket = bucket(Charts.heat(high, largest));

        assertThat(lowBucket).isBetween(0, 9);
        assertThat(highBucket).isBetween(0, 9);
        assertThat(lowBucket).isLessThanOrEqualTo(highBucket);
    }

    @Example
    void heatRunsFromZeroToNineAndNullIsNone() {
        assertThat(Charts.heat(null, 0.5)).isEqualTo("heat-none");
        assertThat(Charts.heat(0.0, 0.5)).isEqualTo("heat-0");
        assertThat(Charts.heat(0.5, 0.5)).isEqualTo("heat-9");
        assertThat(Charts.heat(0.7, 0.5)).isEqualTo("heat-9");
        assertThat(Charts.heat(-0.1, 0.5)).isEqualTo("heat-0");
        assertThat(Charts.heat(0.3, 0.0)).isEqualTo("heat-0");
        List<String> buckets = new ArrayList<>();
        for (int i = 0; i <= 100; i++) {
            buckets.add(Charts.heat(i / 100.0, 1.0));
        }
        // Every shade is used across the range.
        assertThat(buckets).contains("heat-0", "heat-1", "heat-2", "heat-3", "heat-4", "heat-5", "heat-6", "heat-7",
                "heat-8", "heat-9");
    }

    private static int bucket(String css) {
        assertThat(css).matches("heat-[0-9]");
        return Integer.parseInt(css.substring(5));
    }

    @Provide
    Arbitrary<String> labels() {
        return Arbitraries.oneOf(
                Arbitraries.strings().withChars("<>&\"' ab/=;é€Ω").ofMaxLength(12),
                Arbitraries.strings().alpha().numeric().ofMaxLength(12),
                Arbitraries.of(HOSTILE, "]]>", "<![CDATA[x]]>", "&amp;", "&#39;"));
    }

    @Provide
    Arbitrary<List<String>> labelLists() {
        return labels().list().ofMinSize(0).ofMaxSize(14);
    }

    @Provide
    Arbitrary<List<Double>> values() {
        return Arbitraries.doubles().between(-1e6, 1e6).injectNull(0.15).list().ofMaxSize(14);
    }

    @Provide
    Arbitrary<List<Charts.Interval>> intervals() {
        Arbitrary<Double> figure = Arbitraries.doubles().between(-1, 1);
        return Combinators.combine(labels(), figure, figure, figure).as((label, a, b, c) -> {
            double[] sorted = {a, b, c};
            java.util.Arrays.sort(sorted);
            return new Charts.Interval(label, sorted[1], sorted[0], sorted[2]);
        }).list().ofMaxSize(8);
    }

    private static String titleOf(Element element) {
        NodeList titles = element.getElementsByTagName("title");
        assertThat(titles.getLength()).as("a <title> in <%s>", element.getTagName()).isGreaterThan(0);
        return titles.item(0).getTextContent();
    }

    private static List<Element> elements(Document document, String tag) {
        NodeList list = document.getElementsByTagName(tag);
        List<Element> elements = new ArrayList<>();
        for (int i = 0; i < list.getLength(); i++) {
            elements.add((Element) list.item(i));
        }
        return elements;
    }

    static Document parse(String svg) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            var builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            Document document = builder.parse(new InputSource(new StringReader(svg)));
            assertThat(document.getDocumentElement().getTagName()).isEqualTo("svg");
            assertThat(document.getDocumentElement().getNamespaceURI()).isEqualTo("http://www.w3.org/2000/svg");
            return document;
        } catch (Exception notWellFormed) {
            throw new AssertionError("not well-formed SVG: " + notWellFormed.getMessage() + "\n" + svg, notWellFormed);
        }
    }
}
