package dev.retention.campaigns.domain;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Which items a message recommends to one customer, from the co-occurrence counts ({@link BoughtTogether}).
 *
 * <p>Start from the customer's context SKUs (their most recently bought, or a cart's items). For each, take its
 * partners that are eligible: bought together at least {@code minimumSupport} times, a known product in stock, not
 * bought by the customer before and not in the context itself; of those, the {@code perSku} strongest. A candidate's
 * score is the sum of its supports over the context SKUs it is a partner of, so an item bought with several of the
 * customer's items ranks above one bought often with just one of them; ties go to the larger single support, then to
 * the SKU in alphabetical order (the same answer on every replica and replay). The best {@link #SHOWN} are shown.
 */
public final class Recommender {

    /** What a message shows at most (trigger.fired's recommendations hold three). */
    public static final int SHOWN = 3;

    private Recommender() {
    }

    /** A partner of a context SKU and how many orders held both. */
    public record Partner(String sku, int support) {
    }

    /** What the rules know about a candidate product: absent from the catalogue is unknown. */
    public interface Catalogue {
        boolean inStock(String sku);
    }

    /**
     * @param context  the SKUs to start from, most relevant first
     * @param partners each context SKU's partners (any order; those not eligible are left out here)
     * @param bought   every SKU the customer bought
     * @param catalogue known products and their stock
     */
    public static List<String> recommend(List<String> context, Map<String, List<Partner>> partners,
                                         Set<String> bought, Catalogue catalogue, RecommendationPolicy policy) {
        if (!policy.enabled()) {
            return List.of();
        }
        Set<String> contextSkus = new HashSet<>(context);
        Map<String, Long> score = new HashMap<>();
        Map<String, Integer> strongest = new HashMap<>();
        for (String sku : contextSkus) {
            List<Partner> eligible = new ArrayList<>();
            for (Partner partner : partners.getOrDefault(sku, List.of())) {
                if (partner.support() >= policy.minimumSupport() && !contextSkus.contains(partner.sku())
                        && !bought.contains(partner.sku()) && catalogue.inStock(partner.sku())) {
                    eligible.add(partner);
                }
            }
            eligible.sort(Comparator.comparingInt(Partner::support).reversed().thenComparing(Partner::sku));
            for (Partner partner : eligible.subList(0, Math.min(policy.perSku(), eligible.size()))) {
                score.merge(partner.sku(), (long) partner.support(), Long::sum);
                strongest.merge(partner.sku(), partner.support(), Math::max);
            }
        }
        return score.keySet().stream()
                .sorted(Comparator.<String>comparingLong(score::get).reversed()
                        .thenComparing(Comparator.<String>comparingInt(strongest::get).reversed())
                        .thenComparing(Comparator.naturalOrder()))
                .limit(SHOWN)
                .toList();
    }
}
