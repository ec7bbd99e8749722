package dev.retention.points.domain;

import dev.retention.contracts.programme.ProgrammeDocument.CustomerLimit;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.contracts.programme.ProgrammeDocument.Window;

import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.List;

/**
 * Whether a customer may take a reward now, and if not every reason why: the window, the minimum tier, the
 * per-customer limit, the stock and the points, in that order (the first is the one the API names in a refusal).
 * Pure: the caller reads the facts ({@link Customer}) under the account's lock when it redeems, without one when it
 * only shows the catalogue.
 */
public final class RewardEligibility {

    private RewardEligibility() {
    }

    /** Why a reward cannot be taken; the API answers WINDOW, TIER and POINTS with 422, LIMIT and STOCK with 409. */
    public enum Reason {
        WINDOW, TIER, LIMIT, STOCK, POINTS;

        /** A conflict with other redemptions (this customer's or everyone's), rather than with the customer's state. */
        public boolean isConflict() {
            return this == LIMIT || this == STOCK;
        }
    }

    public record Refusal(Reason reason, String detail) {
    }

    /** Empty: eligible. */
    public record Verdict(List<Refusal> refusals) {

        public Verdict {
            refusals = List.copyOf(refusals);
        }

        public boolean eligible() {
            return refusals.isEmpty();
        }
    }

    /**
     * What judging needs about the customer and the reward now.
     *
     * @param available           the customer's available points
     * @param tier                the customer's tier now; null: none recorded, which counts as the lowest
     * @param redeemedInPeriod    the customer's redemptions of this reward in the limit's current period (refunded
     *                            ones not counted)
     * @param stockLeft           how many are left across versions; null: unlimited
     */
    public record Customer(long available, String tier, long redeemedInPeriod, Long stockLeft) {
    }

    /** @param tiers the programme's tier names, lowest first */
    public static Verdict judge(Reward reward, Customer customer, List<String> tiers, Instant now) {
        List<Refusal> refusals = new ArrayList<>();
        Window window = reward.available();
        if (window != null && !window.contains(now)) {
            refusals.add(new Refusal(Reason.WINDOW, window.from() != null && now.isBefore(window.from())
                    ? "available from " + window.from() : "no longer available since " + window.until()));
        }
        if (reward.minimumTier() != null && rank(reward.minimumTier(), tiers) > rank(customer.tier(), tiers)) {
            refusals.add(new Refusal(Reason.TIER, "needs tier " + reward.minimumTier() + " or higher"));
        }
        CustomerLimit limit = reward.perCustomer();
        if (limit != null && customer.redeemedInPeriod() >= limit.count()) {
            refusals.add(new Refusal(Reason.LIMIT, customer.redeemedInPeriod() + " of " + limit.count() + " "
                    + (limit.period() == null ? "ever" : "this " + limit.period().name().toLowerCase())));
        }
        if (customer.stockLeft() != null && customer.stockLeft() <= 0) {
            refusals.add(new Refusal(Reason.STOCK, "sold out"));
        }
        if (customer.available() < reward.price()) {
            refusals.add(new Refusal(Reason.POINTS, "missing " + (reward.price() - customer.available()) + " points"));
        }
        return new Verdict(refusals);
    }

    /**
     * A tier's place, lowest 0. No tier and a tier the programme does not hold count as the lowest: a customer
     * tier-service has not rated yet is in the lowest tier, and a tier a later version dropped unlocks nothing.
     */
    static int rank(String tier, List<String> tiers) {
        return tier == null ? 0 : Math.max(0, tiers.indexOf(tier));
    }

    /**
     * Where the limit's current period starts: the first day of the calendar period holding {@code now} in the
     * programme's zone, at midnight there (as earning rules' caps count); null for a limit over all time or none.
     */
    public static Instant periodStart(Reward reward, Instant now, ZoneId zone) {
        CustomerLimit limit = reward.perCustomer();
        if (limit == null || limit.period() == null) {
            return null;
        }
        return EarningRules.periodStart(limit.period(), now, zone).atStartOfDay(zone).toInstant();
    }

    /** Stock left of {@code stock} (null: unlimited) after {@code taken} across versions; never below 0. */
    public static Long stockLeft(Long stock, long taken) {
        return stock == null ? null : Math.max(0, stock - taken);
    }
}
