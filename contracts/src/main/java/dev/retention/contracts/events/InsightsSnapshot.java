package dev.retention.contracts.events;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.LocalDate;

/**
 * {@code insights.snapshot} on {@code retention.insights}: insights-service's figures of one measure as they stood at
 * the end of a day (UTC), once per measure and day, for dashboards and warehouses that keep history. Keyed by the
 * measure, not by a customer: aggregates only, never personal data.
 *
 * @param measure           {@code uplift}, {@code retention}, {@code cohorts}, {@code points} or {@code tiers}
 * @param day               the day whose end the figures describe
 * @param reportingCurrency the currency of every amount in {@code figures}
 * @param figures           the measure as insights-service's API answers it (JSON) for the twelve months up to the
 *                          day's month
 */
public record InsightsSnapshot(
        String measure,
        LocalDate day,
        String reportingCurrency,
        JsonNode figures) implements EventData {
}
