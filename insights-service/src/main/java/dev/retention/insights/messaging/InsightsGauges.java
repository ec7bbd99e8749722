package dev.retention.insights.messaging;

import dev.retention.insights.application.ReadInsights;
import dev.retention.insights.application.ReadInsights.Grouping;
import dev.retention.insights.application.ReadInsights.UpliftRow;
import dev.retention.insights.domain.PointsFigures;
import dev.retention.insights.domain.RetentionFigures;
import dev.retention.insights.domain.Uplift;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The headline measures as Prometheus gauges, for the Grafana dashboard (deploy/k8s/base/monitoring):
 *
 * <ul>
 *     <li>{@code retention.insights.uplift.conversion} per {@code trigger_type} and {@code bound} (estimate, low,
 *     high): the conversion uplift against the holdout group with its 95 % interval, over the twelve months up to the
 *     current one (the API's default range);</li>
 *     <li>{@code retention.insights.retention.rate}: the customer retention rate of the last full month, and
 *     {@code retention.insights.repeat.purchase.rate} by its end;</li>
 *     <li>{@code retention.insights.points.outstanding}: available + pending points of every customer now, and
 *     {@code retention.insights.points.liability}: what they are worth in the reporting currency.</li>
 * </ul>
 *
 * NaN while a figure is not known: not enough data for an uplift, no customer active at the month's start. The figures
 * are read from the aggregates every {@code retention.insights.gauges.refresh-every} (a minute), not on each scrape:
 * Prometheus scrapes every replica every 30 s, and the measures move slowly.
 */
@ApplicationScoped
public class InsightsGauges {

    private static final List<String> BOUNDS = List.of("estimate", "low", "high");

    private final ReadInsights read;
    private final MeterRegistry registry;
    private final Clock clock;
    /**
     * The uplift gauges registered so far, by trigger type and bound; a type seen once keeps its gauges (NaN later).
     */
    private final Map<String, Figure> uplift = new ConcurrentHashMap<>();
    private final Figure retentionRate = new Figure();
    private final Figure repeatPurchaseRate = new Figure();
    private final Figure outstandingPoints = new Figure();
    private final Figure liability = new Figure();

    /** The latest value of one gauge; Micrometer reads it on each scrape. */
    static final class Figure {
        private volatile double value = Double.NaN;

        double value() {
            return value;
        }
    }

    public InsightsGauges(ReadInsights read, MeterRegistry registry, Clock clock) {
        this.read = read;
        this.registry = registry;
        this.clock = clock;
        Gauge.builder("retention.insights.retention.rate", retentionRate, Figure::value)
                .description("Customer retention rate (E - N) / S of the last full month (UTC); NaN without customers "
                        + "active at its start")
                .strongReference(true).register(registry);
        Gauge.builder("retention.insights.repeat.purchase.rate", repeatPurchaseRate, Figure::value)
                .description("Share of customers with two or more orders by the end of the last full month")
                .strongReference(true).register(registry);
        Gauge.builder("retention.insights.points.outstanding", outstandingPoints, Figure::value)
                .description("Available plus pending points of every customer now")
                .strongReference(true).register(registry);
        Gauge.builder("retention.insights.points.liability", liability, Figure::value)
                .description("What the outstanding points are worth now, in the programme's reporting currency")
                .strongReference(true).register(registry);
    }

    @Scheduled(identity = "insights-gauges", every = "${retention.insights.gauges.refresh-every:60s}",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> refresh() {
        YearMonth now = YearMonth.now(clock.withZone(ZoneOffset.UTC));
        YearMonth lastFullMonth = now.minusMonths(1);
        return read.uplift(now.minusMonths(11), now, Grouping.TRIGGER).invoke(this::showUplift)
                .chain(() -> read.retention(lastFullMonth, lastFullMonth)).invoke(this::showRetention)
                .chain(() -> read.points(now, now)).invoke(this::showPoints)
                .replaceWithVoid();
    }

    private void showUplift(List<UpliftRow> rows) {
        Set<String> shown = rows.stream().map(UpliftRow::triggerType).collect(Collectors.toSet());
        uplift.forEach((key, figure) -> {
            if (!shown.contains(key.substring(0, key.indexOf(' ')))) {
                figure.value = Double.NaN;
            }
        });
        for (UpliftRow row : rows) {
            Uplift.Interval interval = row.uplift().conversion();
            double[] values = interval == null ? new double[] {Double.NaN, Double.NaN, Double.NaN}
                    : new double[] {interval.estimate(), interval.low(), interval.high()};
            for (int i = 0; i < BOUNDS.size(); i++) {
                upliftFigure(row.triggerType(), BOUNDS.get(i)).value = values[i];
            }
        }
    }

    private Figure upliftFigure(String triggerType, String bound) {
        return uplift.computeIfAbsent(triggerType + " " + bound, key -> {
            Figure figure = new Figure();
            Gauge.builder("retention.insights.uplift.conversion", figure, Figure::value)
                    .description("Conversion of the treated minus the held-out customers of a trigger type over the "
                            + "last twelve months, with its 95 % interval (bound low, high); NaN: not enough data yet")
                    .tag("trigger_type", triggerType).tag("bound", bound)
                    .strongReference(true).register(registry);
            return figure;
        });
    }

    private void showRetention(List<RetentionFigures.MonthFigures> months) {
        RetentionFigures.MonthFigures month = months.get(0);
        retentionRate.value = month.retentionRate() == null ? Double.NaN : month.retentionRate();
        repeatPurchaseRate.value = month.repeatPurchaseRate() == null ? Double.NaN : month.repeatPurchaseRate();
    }

    private void showPoints(List<PointsFigures.MonthFigures> months) {
        PointsFigures.MonthFigures month = months.get(months.size() - 1);
        outstandingPoints.value = month.outstanding();
        liability.value = month.liability().doubleValue();
    }
}
