package dev.retention.insights.api;

import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.insights.application.InsightReports;
import dev.retention.insights.application.InsightReports.CohortReport;
import dev.retention.insights.application.InsightReports.Difference;
import dev.retention.insights.application.InsightReports.PointsReport;
import dev.retention.insights.application.InsightReports.RetentionReport;
import dev.retention.insights.application.InsightReports.TierReport;
import dev.retention.insights.application.InsightReports.UpliftReport;
import dev.retention.insights.application.InsightReports.UpliftView;
import dev.retention.insights.application.ReadInsights.Grouping;
import dev.retention.insights.application.ReadInsights.TierMonth;
import dev.retention.insights.domain.RetentionFigures;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * The measures of docs/insights.md for a range of months (UTC), as JSON or, with {@code Accept: text/csv} or
 * {@code ?format=csv}, as CSV for spreadsheets. For analysts and admins.
 */
@Path("/insights")
@Produces({MediaType.APPLICATION_JSON, Csv.MEDIA_TYPE})
@Tag(name = "insights")
@RolesAllowed({CustomerAccess.ANALYST, CustomerAccess.ADMIN})
public class InsightsResource {

    /** The longest range one request may ask for. */
    static final int MAX_MONTHS = 120;

    private final InsightReports reports;
    private final Clock clock;

    public InsightsResource(InsightReports reports, Clock clock) {
        this.reports = reports;
        this.clock = clock;
    }

    @GET
    @Path("uplift")
    @APIResponse(responseCode = "200", description = "the figures", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = UpliftReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "a parameter is invalid (problem+json names it)")
    @Operation(summary = "Per trigger type (by=trigger) or campaign (by=campaign): exposures of the treated and "
            + "held-out arms, conversion within the window, revenue, and the uplift with its 95 % interval")
    public Uni<Response> uplift(@QueryParam("from") @Parameter(description = "first month, YYYY-MM") String from,
                                @QueryParam("to") @Parameter(description = "last month, YYYY-MM") String to,
                                @QueryParam("by") @Parameter(description = "trigger (default) or campaign") String by,
                                @QueryParam("format") @Parameter(description = "csv for CSV") String format,
                                @Context HttpHeaders headers) {
        Range range = range(from, to);
        Grouping grouping = grouping(by);
        return reports.uplift(range.from, range.to, grouping).map(report -> {
            List<UpliftView> views = report.rows();
            return answer(format, headers, report,
                    List.of("triggerType", "campaignId", "treatedExposures", "treatedConverted", "treatedSent",
                            "treatedConversionRate", "treatedRevenuePerExposure", "heldOutExposures",
                            "heldOutConverted", "heldOutConversionRate", "heldOutRevenuePerExposure",
                            "conversionUplift", "conversionUpliftLow", "conversionUpliftHigh", "revenueUplift",
                            "revenueUpliftLow", "revenueUpliftHigh", "notEnoughData", "vouchersRedeemed", "discount",
                            "currency"),
                    views, view -> {
                        List<Object> cells = new ArrayList<>(List.of(view.triggerType(),
                                view.campaignId() == null ? "" : view.campaignId(),
                                view.treated().exposures(), view.treated().converted(), view.treated().sent(),
                                view.treated().conversionRate(), view.treated().revenuePerExposure(),
                                view.heldOut().exposures(), view.heldOut().converted(),
                                view.heldOut().conversionRate(), view.heldOut().revenuePerExposure()));
                        cells.addAll(difference(view.conversionUplift()));
                        cells.addAll(difference(view.revenueUpliftPerExposure()));
                        cells.add(view.notEnoughData() == null ? "" : view.notEnoughData());
                        cells.add(view.vouchersRedeemed());
                        cells.add(view.discount());
                        cells.add(view.currency());
                        return cells;
                    });
        });
    }

    @GET
    @Path("retention")
    @APIResponse(responseCode = "200", description = "the figures", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = RetentionReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "a parameter is invalid (problem+json names it)")
    @Operation(summary = "Per month: customers active at its start and end, new customers, the customer retention rate "
            + "(E - N) / S, and the repeat purchase rate by its end")
    public Uni<Response> retention(@QueryParam("from") String from, @QueryParam("to") String to,
                                   @QueryParam("format") String format, @Context HttpHeaders headers) {
        Range range = range(from, to);
        return reports.retention(range.from, range.to).map(report -> answer(format, headers, report,
                List.of("month", "activeAtStart", "activeAtEnd", "newCustomers", "retentionRate", "customersSoFar",
                        "repeatCustomersSoFar", "repeatPurchaseRate"),
                report.months(), m -> List.of(m.month(), m.activeAtStart(), m.activeAtEnd(), m.newCustomers(),
                        blank(m.retentionRate()), m.customersSoFar(), m.repeatCustomersSoFar(),
                        blank(m.repeatPurchaseRate()))));
    }

    @GET
    @Path("cohorts")
    @APIResponse(responseCode = "200", description = "the figures", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CohortReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "a parameter is invalid (problem+json names it)")
    @Operation(summary = "Per first-order month from..to: its customers and the share who ordered again in each later "
            + "month up to the current one")
    public Uni<Response> cohorts(@QueryParam("from") String from, @QueryParam("to") String to,
                                 @QueryParam("format") String format, @Context HttpHeaders headers) {
        Range range = range(from, to);
        YearMonth until = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth last = range.to.isAfter(until) ? range.to : until;
        return reports.cohorts(range.from, range.to, last).map(report -> {
            List<RetentionFigures.Cohort> cohorts = report.cohorts();
            int width = cohorts.stream().mapToInt(c -> c.orderedAgain().size()).max().orElse(0);
            List<String> header = new ArrayList<>(List.of("firstOrderMonth", "customers"));
            for (int later = 1; later <= width; later++) {
                header.add("month+" + later);
            }
            return answer(format, headers, report, header, cohorts, cohort -> {
                List<Object> cells = new ArrayList<>(List.of(cohort.firstOrderMonth(), cohort.customers()));
                cohort.orderedAgain().forEach(share -> cells.add(blank(share)));
                return cells;
            });
        });
    }

    @GET
    @Path("points")
    @APIResponse(responseCode = "200", description = "the figures", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = PointsReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "a parameter is invalid (problem+json names it)")
    @Operation(summary = "Per month: points issued, redeemed, expired, reversed, adjusted, the breakage rate, and the "
            + "outstanding points with their liability; and the outstanding points by current tier")
    public Uni<Response> points(@QueryParam("from") String from, @QueryParam("to") String to,
                                @QueryParam("format") String format, @Context HttpHeaders headers) {
        Range range = range(from, to);
        return reports.points(range.from, range.to).map(report -> answer(format, headers, report,
                List.of("month", "issued", "redeemed", "expired", "reversed", "adjusted", "breakageRate",
                        "outstanding", "liability", "currency"),
                report.months(), m -> List.of(m.month(), m.issued(), m.redeemed(), m.expired(), m.reversed(),
                        m.adjusted(), blank(m.breakageRate()), m.outstanding(), m.liability(), report.currency())));
    }

    @GET
    @Path("tiers")
    @APIResponse(responseCode = "200", description = "the figures", content = {
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = TierReport.class)),
            @Content(mediaType = Csv.MEDIA_TYPE, schema = @Schema(type = SchemaType.STRING))})
    @APIResponse(responseCode = "400", description = "a parameter is invalid (problem+json names it)")
    @Operation(summary = "Per month: how many customers are in each tier at its end")
    public Uni<Response> tiers(@QueryParam("from") String from, @QueryParam("to") String to,
                               @QueryParam("format") String format, @Context HttpHeaders headers) {
        Range range = range(from, to);
        return reports.tiers(range.from, range.to).map(report -> {
            List<TierMonth> months = report.months();
            TreeSet<String> tiers = new TreeSet<>();
            months.forEach(m -> tiers.addAll(m.customers().keySet()));
            List<String> header = new ArrayList<>(List.of("month"));
            header.addAll(tiers);
            return answer(format, headers, report, header, months, (TierMonth m) -> {
                List<Object> cells = new ArrayList<>(List.of(m.month()));
                tiers.forEach(tier -> cells.add(m.customers().getOrDefault(tier, 0L)));
                return cells;
            });
        });
    }

    // ----

    private record Range(YearMonth from, YearMonth to) {
    }

    /** Defaults: the twelve months up to the current one. */
    private Range range(String from, String to) {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth last = to == null || to.isBlank() ? now : month("to", to);
        YearMonth first = from == null || from.isBlank() ? last.minusMonths(11) : month("from", from);
        if (first.isAfter(last)) {
            throw ApiProblem.invalidField("from", "must not be after to (" + last + ")");
        }
        if (first.plusMonths(MAX_MONTHS - 1).isBefore(last)) {
            throw ApiProblem.invalidField("from", "a range spans at most " + MAX_MONTHS + " months");
        }
        return new Range(first, last);
    }

    private static YearMonth month(String field, String value) {
        try {
            return YearMonth.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiProblem.invalidField(field, "must be a month as YYYY-MM, was '" + value + "'");
        }
    }

    private static Grouping grouping(String by) {
        if (by == null || by.isBlank() || by.equals("trigger")) {
            return Grouping.TRIGGER;
        }
        if (by.equals("campaign")) {
            return Grouping.CAMPAIGN;
        }
        throw ApiProblem.invalidField("by", "must be trigger or campaign, was '" + by + "'");
    }

    private static List<Object> difference(Difference difference) {
        return difference == null ? List.of("", "", "")
                : List.of(difference.estimate(), difference.low(), difference.high());
    }

    private static Object blank(Double value) {
        return value == null ? "" : InsightReports.round(value);
    }

    private static <T> Response answer(String format, HttpHeaders headers, Object json, List<String> header,
                                       List<T> rows, Function<T, List<Object>> cells) {
        if (wantsCsv(format, headers)) {
            return Response.ok(Csv.of(header, rows.stream().map(cells).toList()), Csv.MEDIA_TYPE).build();
        }
        if (format != null && !format.isBlank() && !format.equals("json")) {
            throw ApiProblem.invalidField("format", "must be json or csv, was '" + format + "'");
        }
        return Response.ok(json, MediaType.APPLICATION_JSON).build();
    }

    private static boolean wantsCsv(String format, HttpHeaders headers) {
        if (format != null && !format.isBlank()) {
            return format.equals("csv");
        }
        List<MediaType> accepted = headers.getAcceptableMediaTypes();
        return !accepted.isEmpty() && accepted.get(0).isCompatible(MediaType.valueOf(Csv.MEDIA_TYPE))
                && !accepted.get(0).isWildcardType();
    }
}
