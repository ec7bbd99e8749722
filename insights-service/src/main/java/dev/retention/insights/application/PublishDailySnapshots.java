package dev.retention.insights.application;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.InsightsSnapshot;
import dev.retention.eventing.EventOutbox;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;

import static dev.retention.eventing.SqlValues.timestamp;

/**
 * Publishes each measure's figures for the day that has just ended (UTC) as {@code insights.snapshot} on
 * {@code retention.insights}: the twelve months up to that day's month, as the API answers them. One transaction per
 * measure records it as published and writes the event to the outbox, so a measure's day is published once, whichever
 * replica runs the job and however often. Figures are as the service knows them when the job runs.
 */
@ApplicationScoped
public class PublishDailySnapshots {

    static final String SOURCE = "/insights-service";

    private static final String CLAIM = """
            INSERT INTO snapshot_published (measure, day, published_at) VALUES ($1, $2, $3)
            ON CONFLICT DO NOTHING RETURNING measure""";

    private final InsightReports reports;
    private final Pool pool;
    private final EventOutbox outbox;
    private final ObjectMapper json;
    private final Clock clock;

    public PublishDailySnapshots(InsightReports reports, Pool pool, EventOutbox outbox, ObjectMapper json,
                                 Clock clock) {
        this.reports = reports;
        this.pool = pool;
        this.outbox = outbox;
        this.json = json;
        this.clock = clock;
    }

    /** The snapshots of the day before today (UTC); returns how many were published now. */
    public Uni<Integer> publishYesterday() {
        return publish(LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(1));
    }

    public Uni<Integer> publish(LocalDate day) {
        YearMonth to = YearMonth.from(day);
        YearMonth from = to.minusMonths(11);
        Instant now = clock.instant();
        return Multi.createFrom().iterable(InsightReports.MEASURES)
                .onItem().transformToUniAndConcatenate(measure -> reports.measure(measure, from, to)
                        .chain(figures -> publishOnce(measure, day, figures, now)))
                .collect().asList()
                .map(published -> (int) published.stream().filter(Boolean::booleanValue).count())
                .invoke(count -> {
                    if (count > 0) {
                        outbox.committed();
                    }
                });
    }

    private Uni<Boolean> publishOnce(String measure, LocalDate day, Object figures, Instant now) {
        InsightsSnapshot snapshot = new InsightsSnapshot(measure, day, reports.reportingCurrency(),
                json.valueToTree(figures));
        EventEnvelope<InsightsSnapshot> event = EventEnvelope.of(
                EventIds.derive(measure + ":" + day, "insights.snapshot"), SOURCE, now, measure, snapshot);
        return pool.withTransaction(tx -> tx.preparedQuery(CLAIM).execute(Tuple.of(measure, day, timestamp(now)))
                .chain(claimed -> claimed.size() == 0 ? Uni.createFrom().item(false)
                        : outbox.write(tx, List.of(event)).replaceWith(true)));
    }
}
