package dev.retention.campaigns.domain;

import dev.retention.contracts.programme.ProgrammeDocument;

/**
 * The programme's recommendation settings (docs/programme.md, "Recommendations").
 *
 * @param minimumSupport a pair must have been bought together in at least this many orders to be shown
 * @param perSku         the partners of each of the customer's SKUs considered, strongest first
 * @param recentSkus     the customer's most recently bought SKUs the recommendations start from
 */
public record RecommendationPolicy(boolean enabled, int minimumSupport, int perSku, int recentSkus) {

    /** Absent from the programme, and before programme version 1. */
    public static final RecommendationPolicy DISABLED = new RecommendationPolicy(false, Integer.MAX_VALUE,
            ProgrammeDocument.Recommendations.DEFAULT_PER_SKU, ProgrammeDocument.Recommendations.DEFAULT_RECENT_SKUS);

    public RecommendationPolicy {
        if (minimumSupport < 1 || perSku < 1 || recentSkus < 1) {
            throw new IllegalArgumentException("recommendations: minimumSupport, perSku and recentSkus must be >= 1");
        }
    }

    public static RecommendationPolicy from(ProgrammeDocument.Recommendations settings) {
        if (settings == null) {
            return DISABLED;
        }
        return new RecommendationPolicy(settings.enabled(), settings.minimumSupport(), settings.perSkuOrDefault(),
                settings.recentSkusOrDefault());
    }
}
