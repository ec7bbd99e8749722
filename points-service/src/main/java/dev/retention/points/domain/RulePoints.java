package dev.retention.points.domain;

/**
 * One part of a ledger entry's points: an earning rule by its id and what it gave, or the base rate
 * ({@link #BASE}) or the tier multiplier ({@link #TIER}). The parts of an entry sum to the entry's points.
 */
public record RulePoints(String ruleId, long points) {

    /** The base rate's part: the eligible value times the points per unit, rounded down. */
    public static final String BASE = "order.base";
    /** What the tier multiplier added to the base and the rules (and their rounding). */
    public static final String TIER = "order.tier";
}
