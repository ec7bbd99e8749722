package dev.retention.console.web;

import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.console.services.Answer;
import dev.retention.console.services.Service;
import dev.retention.console.services.ServiceCalls;
import dev.retention.console.session.CurrentSession;
import dev.retention.console.view.Charts;
import dev.retention.console.view.Formats;
import dev.retention.console.view.Texts;
import io.quarkus.qute.Template;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;

/**
 * Insights for analysts and admins: uplift per trigger with its 95 % interval drawn, the cohort table as a heat map,
 * retention and repeat purchase rates over time, points liability and breakage, and the tier distribution. Every
 * figure comes from insights-service; the console only draws.
 */
@Path("/insights")
@Produces(MediaType.TEXT_HTML)
public class InsightsResource {

    @Inject
    Template insights;
    @Inject
    Pages pages;
    @Inject
    ServiceCalls calls;
    @Inject
    CurrentSession session;

    /** One row of the cohort heat map: the cohort and each later month's rate with its shade. */
    public record CohortRow(String month, Object customers, List<Cell> cells) {
    }

    public record Cell(Double rate, String shade) {
    }

    @GET
    public TemplateInstance show(@QueryParam("from") String from, @QueryParam("to") String to) {
        String range = range(from, to);
        CompletableFuture<Answer> uplift = calls.getAsync(Service.INSIGHTS, "insights/uplift" + range);
        CompletableFuture<Answer> retention = calls.getAsync(Service.INSIGHTS, "insights/retention" + range);
        CompletableFuture<Answer> cohorts = calls.getAsync(Service.INSIGHTS, "insights/cohorts" + range);
        CompletableFuture<Answer> points = calls.getAsync(Service.INSIGHTS, "insights/points" + range);
        CompletableFuture<Answer> tiers = calls.getAsync(Service.INSIGHTS, "insights/tiers" + range);
        Formats format = new Formats(session.locale());
        Map<String, String> t = Texts.of(session.locale());
        TemplateInstance page = pages.render(insights).data("page", "insights")
                .data("from", from == null ? "" : from).data("to", to == null ? "" : to)
                .data("uplift", uplift.join()).data("retention", retention.join()).data("cohorts", cohorts.join())
                .data("points", points.join()).data("tiers", tiers.join());
        page.data("upliftChart", uplift.join().ok() ? upliftChart(uplift.join().body(), format, t) : null);
        page.data("retentionChart", retention.join().ok() ? retentionChart(retention.join().body(), format, t) : null);
        page.data("cohortRows", cohorts.join().ok() ? cohortRows(cohorts.join().body()) : List.of());
        page.data("cohortWidth", cohorts.join().ok() ? cohortWidth(cohorts.join().body()) : 0);
        page.data("pointsChart", points.join().ok() ? pointsChart(points.join().body(), format, t) : null);
        page.data("liabilityChart", points.join().ok() ? liabilityChart(points.join().body(), format, t) : null);
        TierTable tierTable = tiers.join().ok() ? tierTable(tiers.join().body()) : new TierTable(List.of(), List.of());
        page.data("tierNames", tierTable.names()).data("tierMonths", tierTable.months());
        page.data("tierChart", tiers.join().ok() ? tierChart(tierTable, format, t) : null);
        return page;
    }

    /** The uplift rows with an interval; rows without enough data are listed in the table only. */
    static String upliftChart(JsonNode body, Formats format, Map<String, String> t) {
        List<Charts.Interval> rows = new ArrayList<>();
        for (JsonNode row : body.path("rows")) {
            JsonNode uplift = row.path("conversionUplift");
            if (uplift.isObject()) {
                String label = row.path("triggerType").asText() + (row.hasNonNull("campaignId")
                        ? " · " + row.get("campaignId").asText() : "");
                rows.add(new Charts.Interval(label, uplift.path("estimate").asDouble(), uplift.path("low").asDouble(),
                        uplift.path("high").asDouble()));
            }
        }
        return rows.isEmpty() ? null : Charts.intervals(t.get("chart_uplift"), rows, format::points);
    }

    static String retentionChart(JsonNode body, Formats format, Map<String, String> t) {
        List<String> months = new ArrayList<>();
        List<Double> retention = new ArrayList<>();
        List<Double> repeat = new ArrayList<>();
        for (JsonNode month : body.path("months")) {
            months.add(format.shortMonth(month.path("month").asText()));
            retention.add(nullable(month.path("retentionRate")));
            repeat.add(nullable(month.path("repeatPurchaseRate")));
        }
        return Charts.lines(t.get("chart_retention"), months, List.of(new Charts.Series(t.get("retention_rate"), retention),
                new Charts.Series(t.get("repeat_rate"), repeat)), format::percent);
    }

    static List<CohortRow> cohortRows(JsonNode body) {
        double largest = 0;
        for (JsonNode cohort : body.path("cohorts")) {
            for (JsonNode rate : cohort.path("orderedAgain")) {
                if (rate.isNumber()) {
                    largest = Math.max(largest, rate.asDouble());
                }
            }
        }
        List<CohortRow> rows = new ArrayList<>();
        for (JsonNode cohort : body.path("cohorts")) {
            List<Cell> cells = new ArrayList<>();
            for (JsonNode rate : cohort.path("orderedAgain")) {
                Double value = nullable(rate);
                cells.add(new Cell(value, Charts.heat(value, largest)));
            }
            rows.add(new CohortRow(cohort.path("firstOrderMonth").asText(), cohort.path("customers").asLong(), cells));
        }
        return rows;
    }

    static int cohortWidth(JsonNode body) {
        int width = 0;
        for (JsonNode cohort : body.path("cohorts")) {
            width = Math.max(width, cohort.path("orderedAgain").size());
        }
        return width;
    }

    static String pointsChart(JsonNode body, Formats format, Map<String, String> t) {
        List<String> months = new ArrayList<>();
        List<Double> issued = new ArrayList<>();
        List<Double> redeemed = new ArrayList<>();
        for (JsonNode month : body.path("months")) {
            months.add(format.shortMonth(month.path("month").asText()));
            issued.add(month.path("issued").asDouble());
            redeemed.add(month.path("redeemed").asDouble());
        }
        return Charts.bars(t.get("chart_points"), months, List.of(new Charts.Series(t.get("issued"), issued),
                new Charts.Series(t.get("redeemed"), redeemed)), v -> format.number(Math.round(v)));
    }

    static String liabilityChart(JsonNode body, Formats format, Map<String, String> t) {
        String currency = body.path("currency").asText("EUR");
        List<String> months = new ArrayList<>();
        List<Double> liability = new ArrayList<>();
        List<Double> breakage = new ArrayList<>();
        for (JsonNode month : body.path("months")) {
            months.add(format.shortMonth(month.path("month").asText()));
            liability.add(nullable(month.path("liability")));
            breakage.add(nullable(month.path("breakageRate")));
        }
        return Charts.lines(t.get("chart_liability"), months, List.of(new Charts.Series(t.get("liability"), liability)),
                v -> format.money(java.math.BigDecimal.valueOf(v).setScale(0, java.math.RoundingMode.HALF_UP), currency));
    }

    record TierTable(List<String> names, List<TierMonth> months) {
    }

    public record TierMonth(String month, List<Long> customers) {
    }

    static TierTable tierTable(JsonNode body) {
        TreeSet<String> names = new TreeSet<>();
        body.path("months").forEach(m -> m.path("customers").fieldNames().forEachRemaining(names::add));
        List<String> ordered = List.copyOf(names);
        List<TierMonth> months = new ArrayList<>();
        for (JsonNode month : body.path("months")) {
            months.add(new TierMonth(month.path("month").asText(), ordered.stream()
                    .map(n -> month.path("customers").path(n).asLong(0)).toList()));
        }
        return new TierTable(ordered, months);
    }

    static String tierChart(TierTable table, Formats format, Map<String, String> t) {
        if (table.months().isEmpty()) {
            return null;
        }
        TierMonth last = table.months().get(table.months().size() - 1);
        return Charts.bars(t.get("chart_tiers") + " " + format.month(last.month()), table.names(),
                List.of(new Charts.Series(t.get("customers"), last.customers().stream().map(Long::doubleValue).toList())),
                v -> format.number(Math.round(v)));
    }

    private static Double nullable(JsonNode node) {
        if (node != null && node.isTextual()) {
            try {
                return Double.parseDouble(node.asText());
            } catch (NumberFormatException notANumber) {
                return null;
            }
        }
        return node != null && node.isNumber() ? node.asDouble() : null;
    }

    private static String range(String from, String to) {
        StringBuilder query = new StringBuilder();
        if (from != null && !from.isBlank()) {
            query.append(query.isEmpty() ? "?" : "&").append("from=").append(ServiceCalls.segment(from.strip()));
        }
        if (to != null && !to.isBlank()) {
            query.append(query.isEmpty() ? "?" : "&").append("to=").append(ServiceCalls.segment(to.strip()));
        }
        return query.toString();
    }
}
