package dev.retention.points.domain;

import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged.Kind;
import dev.retention.contracts.events.PointsExpiring;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The rules of the points programme. Each method changes an account (and an order) and returns the ledger entries
 * that explain the change; the entry ids derive from the cause and the rule, so applying the same cause again
 * elsewhere gives the same ids.
 *
 * <p>An order earns {@code floor((base + rule points) x tier multiplier)}: the base is the eligible value times the
 * currency's points per unit (exact), the rule points are the earning rules' whole points after their caps
 * ({@link EarningRules}); the multiplier of the tier in force when the order was placed applies to both.
 *
 * <p>Rounding: earning rounds down to whole points once, after the multiplier (a customer never gets a fraction they
 * did not earn); each rule's points are rounded down before its caps. A return reverses the share of the earned
 * points (base, rules and tier alike) that the refunded share of the merchandise value stands for, rounded half up
 * on the running total, so several partial returns never reverse more than a single full return would; a
 * cancellation reverses what is left.
 *
 * <p>One instance per policy ({@link #under}): each use case takes the policy in force at its business time.
 */
public final class PointsRules {

    public static final String API_REDEMPTION = "api.redemption";
    public static final String MANUAL_ADJUSTMENT = "manual.adjustment";
    /** The rule of an order's earning entry; re-rating finds the orders through it. */
    public static final String ORDER_EARNING = "order.earning";
    public static final String TIER_CORRECTION = "order.tier-correction";
    /** A reward's price taken from the balance, and given back when campaign-service cannot issue it. */
    public static final String REWARD = "reward";
    public static final String REWARD_REFUND = "reward.refund";
    /** The bonuses' rules: a simulation prices their entries again by these names. */
    public static final String SIGNUP_BONUS = "signup.bonus";
    public static final String REVIEW_BONUS = "review.bonus";
    public static final String REFERRAL_BONUS = "referral.bonus";
    public static final String BIRTHDAY_BONUS = "birthday.bonus";
    /** Points for answering the feedback question of an order (campaign-service's feedback.recorded). */
    public static final String FEEDBACK_BONUS = "feedback.bonus";
    public static final List<String> BONUSES = List.of(SIGNUP_BONUS, REVIEW_BONUS, REFERRAL_BONUS, BIRTHDAY_BONUS,
            FEEDBACK_BONUS);

    private final PointsPolicy policy;

    public PointsRules(PointsPolicy policy) {
        this.policy = policy;
    }

    /** The rules of {@code policy}: for an event or a request, the policy in force at its business time. */
    public static PointsRules under(PointsPolicy policy) {
        return new PointsRules(policy);
    }

    public PointsPolicy policy() {
        return policy;
    }

    /**
     * Eligible value (merchandise without the part paid with points) × points per unit: the earning before the tier
     * multiplier. Null for a currency that earns nothing.
     */
    public BigDecimal earningBase(OrderPlaced order) {
        BigDecimal perUnit = policy.pointsPerUnit().get(order.currency());
        if (perUnit == null) {
            return null;
        }
        return order.merchandiseTotal().subtract(order.pointsRedeemedValue()).max(BigDecimal.ZERO).multiply(perUnit);
    }

    /** The earning base × the tier's multiplier, rounded down to whole points. */
    public long pointsFor(BigDecimal earningBase, String tier) {
        return pointsFor(earningBase, 0, tier);
    }

    /** (The earning base + the rules' points) × the tier's multiplier, rounded down to whole points. */
    public long pointsFor(BigDecimal earningBase, long rulePoints, String tier) {
        return earningBase == null ? 0 : earningBase.add(BigDecimal.valueOf(rulePoints))
                .multiply(policy.multiplierFor(tier)).setScale(0, RoundingMode.FLOOR).longValueExact();
    }

    /** What the earning rules give an order before the tier multiplier; none in a currency that earns nothing. */
    public List<RulePoints> rulePoints(PointsAccount account, OrderPlaced order, String tier, RuleUsage usage) {
        return rulePoints(account.customerId(), order, tier, !account.hasOrdered(), usage);
    }

    /** The same for an order known by its facts (a simulation over stored orders). */
    public List<RulePoints> rulePoints(String customerId, OrderPlaced order, String tier, boolean firstOrder,
                                       RuleUsage usage) {
        BigDecimal perUnit = policy.pointsPerUnit().get(order.currency());
        if (perUnit == null || policy.earningRules().isEmpty()) {
            return List.of();
        }
        BigDecimal eligible = order.merchandiseTotal().subtract(order.pointsRedeemedValue()).max(BigDecimal.ZERO);
        return policy.earningRules().apply(new EarningRules.Order(customerId, order, eligible, perUnit, tier,
                firstOrder), usage);
    }

    /**
     * The parts of an order's earning: the base rate's whole points, each applied rule's points, and the rest of
     * {@code points} as the tier's part (the multiplier and the rounding after it); they sum to {@code points}.
     */
    static List<RulePoints> breakdown(BigDecimal base, List<RulePoints> rules, long points) {
        List<RulePoints> parts = new ArrayList<>(rules.size() + 2);
        long basePoints = base.setScale(0, RoundingMode.FLOOR).longValueExact();
        parts.add(new RulePoints(RulePoints.BASE, basePoints));
        parts.addAll(rules);
        long tierPart = points - basePoints - rules.stream().mapToLong(RulePoints::points).sum();
        if (tierPart != 0) {
            parts.add(new RulePoints(RulePoints.TIER, tierPart));
        }
        return parts;
    }

    public long pointsForOrder(OrderPlaced order, String tierAtOrderTime) {
        return pointsFor(earningBase(order), tierAtOrderTime);
    }

    /** An order placed by a customer whose rules have no per-customer caps to count against. */
    public List<LedgerEntry> orderPlaced(PointsAccount account, OrderPoints order, OrderPlaced data, String tier,
                                         String causeId, Instant at) {
        return orderPlaced(account, order, data, tier, RuleUsage.none(), causeId, at);
    }

    /**
     * The order earns the base rate and what the earning rules give ({@code usage}: the customer's points per rule
     * and period so far, for the per-customer caps), multiplied by the tier in force when it was placed; pending
     * until released.
     */
    public List<LedgerEntry> orderPlaced(PointsAccount account, OrderPoints order, OrderPlaced data, String tier,
                                         RuleUsage usage, String causeId, Instant at) {
        List<LedgerEntry> entries = new ArrayList<>();
        BigDecimal base = earningBase(data);
        OrderFacts facts = OrderFacts.of(data, tier, !account.hasOrdered());
        List<RulePoints> rules = rulePoints(account, data, tier, usage);
        long rulePoints = rules.stream().mapToLong(RulePoints::points).sum();
        long points = pointsFor(base, rulePoints, tier);
        Instant releaseAt = order.deliveredAt() != null ? order.deliveredAt().plus(policy.returnWindow())
                : data.placedAt().plus(policy.maxPending());
        order.placed(data.currency(), data.merchandiseTotal(), base, rulePoints, tier, points, data.placedAt(),
                releaseAt, facts);
        account.activeAt(data.placedAt());
        if (points > 0) {
            account.addPending(points);
            account.earned(points);
            entries.add(entry(entryId(causeId, ORDER_EARNING, account.customerId()), account, Kind.EARNED_PENDING,
                    points, order.orderId(), ORDER_EARNING, causeId, at, null, breakdown(base, rules, points)));
        }
        long notYetRedeemed = data.pointsRedeemed() - order.redeemed();
        if (notYetRedeemed > 0) {
            // Redeemed at checkout without our API: the shop granted it, so it is recorded (as debt if need be).
            account.debit(notYetRedeemed);
            order.redeemed(notYetRedeemed);
            entries.add(entry(account, Kind.REDEEMED, -notYetRedeemed, order.orderId(), "order.redemption", causeId,
                    at, null));
        }
        return entries;
    }

    /** A delivery starts the return window; the points are released when it closes. */
    public void orderDelivered(OrderPoints order, Instant deliveredAt) {
        order.delivered(deliveredAt, deliveredAt.plus(policy.returnWindow()));
    }

    public Optional<LedgerEntry> release(PointsAccount account, OrderPoints order, String causeId, Instant at) {
        if (!order.isPlaced() || order.isReleased() || order.isCancelled()) {
            return Optional.empty();
        }
        order.released();
        long points = order.remaining();
        if (points <= 0) {
            return Optional.empty();
        }
        account.removePending(points);
        account.credit(points);
        return Optional.of(entry(account, Kind.RELEASED, points, order.orderId(), "order.release", causeId, at, null));
    }

    public List<LedgerEntry> orderCancelled(PointsAccount account, OrderPoints order, String causeId, Instant at) {
        List<LedgerEntry> entries = new ArrayList<>();
        if (order.isCancelled()) {
            return entries;
        }
        reverse(account, order, order.remaining(), "order.cancellation.reversal", causeId, at).ifPresent(entries::add);
        order.cancelled();
        long refund = order.redeemed() - order.redemptionRefunded();
        if (refund > 0) {
            order.redemptionRefunded(refund);
            account.credit(refund);
            entries.add(entry(account, Kind.REFUNDED, refund, order.orderId(), "order.cancellation.refund", causeId,
                    at, null));
        }
        return entries;
    }

    public List<LedgerEntry> orderReturned(PointsAccount account, OrderPoints order, BigDecimal refunded,
                                           String causeId, Instant at) {
        order.refunded(refunded);
        if (!order.isPlaced() || order.isCancelled() || order.merchandiseValue().signum() == 0) {
            return List.of();
        }
        long points = reversedByReturns(order, order.earned()) - order.reversed();
        return reverse(account, order, points, "order.return.reversal", causeId, at).map(List::of).orElse(List.of());
    }

    /** What the returns so far reverse of {@code earned}: the refunded share of the merchandise value, half up. */
    private static long reversedByReturns(OrderPoints order, long earned) {
        if (order.refundedValue().signum() == 0 || order.merchandiseValue().signum() == 0) {
            return 0;
        }
        BigDecimal share = order.refundedValue().divide(order.merchandiseValue(), 10, RoundingMode.HALF_UP)
                .min(BigDecimal.ONE);
        return BigDecimal.valueOf(earned).multiply(share).setScale(0, RoundingMode.HALF_UP).longValueExact();
    }

    /**
     * A tier change that arrived after an order placed while it was in force (orders and tiers come on different
     * topics): the order earns again under the tier in force when it was placed, and the difference, net of what
     * returns reversed, goes where the order's points are: pending until released, available after (a cut beyond
     * the available balance is debt). Cancelled orders hold nothing; orders placed before the earning base was kept
     * keep their points. One entry per order and cause.
     */
    public Optional<LedgerEntry> tierCorrection(PointsAccount account, OrderPoints order, String tierAtOrderTime,
                                                String causeId, Instant at) {
        if (!order.isPlaced() || order.isCancelled() || order.earningBase() == null
                || Objects.equals(order.earningTier(), tierAtOrderTime)) {
            return Optional.empty();
        }
        long earned = pointsFor(order.earningBase(), order.rulePoints(), tierAtOrderTime);
        long reversed = order.reversed() + reversedByReturns(order, earned) - reversedByReturns(order, order.earned());
        long change = earned - reversed - order.remaining();
        order.rerated(tierAtOrderTime, earned, reversed);
        if (change == 0) {
            return Optional.empty(); // another tier with the same multiplier
        }
        account.earned(change);
        Kind kind;
        if (change > 0 && order.isReleased()) {
            account.credit(change);
            kind = Kind.EARNED;
        } else if (change > 0) {
            account.addPending(change);
            kind = Kind.EARNED_PENDING;
        } else {
            if (order.isReleased()) {
                account.debit(-change);
            } else {
                account.removePending(-change);
            }
            kind = Kind.REVERSED;
        }
        String note = "tier " + (tierAtOrderTime == null ? "none" : tierAtOrderTime)
                + " was in force when the order was placed";
        // One cause can re-rate several orders of a customer: the order is part of the entry's id.
        return Optional.of(entry(entryId(causeId, TIER_CORRECTION + ":" + order.orderId(), account.customerId()),
                account, kind, change, order.orderId(), TIER_CORRECTION, causeId, at, note,
                List.of(new RulePoints(RulePoints.TIER, change))));
    }

    private Optional<LedgerEntry> reverse(PointsAccount account, OrderPoints order, long points, String rule,
                                          String causeId, Instant at) {
        if (points <= 0) {
            return Optional.empty();
        }
        order.reversed(points);
        account.earned(-points);
        if (order.isReleased()) {
            account.debit(points);
        } else {
            account.removePending(points);
        }
        return Optional.of(entry(account, Kind.REVERSED, -points, order.orderId(), rule, causeId, at, null));
    }

    /** Once per order, for verified purchases only. */
    public Optional<LedgerEntry> reviewSubmitted(PointsAccount account, OrderPoints order, boolean verifiedPurchase,
                                                 String causeId, Instant at) {
        if (!verifiedPurchase || order.isReviewRewarded() || policy.reviewBonus() <= 0) {
            return Optional.empty();
        }
        order.reviewRewarded();
        return Optional.of(bonus(account, policy.reviewBonus(), order.orderId(), REVIEW_BONUS, causeId, at));
    }

    public Optional<LedgerEntry> registered(PointsAccount account, String referredBy, String causeId, Instant at) {
        if (account.isRegistered()) {
            return Optional.empty();
        }
        account.registered(referredBy);
        if (policy.signupBonus() <= 0) {
            return Optional.empty();
        }
        return Optional.of(bonus(account, policy.signupBonus(), null, SIGNUP_BONUS, causeId, at));
    }

    /**
     * The birthday bonus, granted with the birthday offer. Campaign-service fires that offer at most once a year per
     * customer (each firing is a new cause), and it holds the birth dates: points-service never sees them.
     */
    public Optional<LedgerEntry> birthdayOfferFired(PointsAccount account, String causeId, Instant at) {
        if (policy.birthdayBonus() <= 0) {
            return Optional.empty();
        }
        return Optional.of(bonus(account, policy.birthdayBonus(), null, BIRTHDAY_BONUS, causeId, at));
    }

    /**
     * The feedback bonus, whatever the score (so answers stay honest). Campaign-service records one answer per order
     * and publishes its {@code feedback.recorded} under an id derived from the customer and the order, so the inbox
     * takes it once per order however often it arrives.
     */
    public Optional<LedgerEntry> feedbackRecorded(PointsAccount account, String orderId, String causeId, Instant at) {
        if (policy.feedbackBonus() <= 0) {
            return Optional.empty();
        }
        return Optional.of(bonus(account, policy.feedbackBonus(), orderId, FEEDBACK_BONUS, causeId, at));
    }

    /** A customer's first order: the referrer, if any, gets the referral bonus. */
    public Optional<LedgerEntry> firstOrderPlaced(PointsAccount customer, PointsAccount referrer, String causeId,
                                                  Instant at) {
        if (customer.hasOrdered()) {
            return Optional.empty();
        }
        customer.firstOrderPlaced();
        return referrer == null ? Optional.empty() : referralBonus(referrer, causeId, at);
    }

    private Optional<LedgerEntry> referralBonus(PointsAccount referrer, String causeId, Instant at) {
        if (policy.referralBonus() <= 0) {
            return Optional.empty();
        }
        return Optional.of(bonus(referrer, policy.referralBonus(), null, REFERRAL_BONUS, causeId, at));
    }

    private LedgerEntry bonus(PointsAccount account, long points, String orderId, String rule, String causeId,
                              Instant at) {
        account.credit(points);
        account.earned(points);
        account.activeAt(at);
        return entry(account, Kind.BONUS, points, orderId, rule, causeId, at, null);
    }

    /** Checks the hurdles, then debits. {@code order} is the order redeemed for, if any. */
    public LedgerEntry redeem(PointsAccount account, OrderPoints order, RedemptionRequest request, String causeId,
                              Instant at) {
        if (request.points() <= 0 || request.points() % policy.redemptionUnit() != 0) {
            throw new PointsRefusedException("WHOLE_UNITS",
                    "points are redeemed in whole multiples of " + policy.redemptionUnit());
        }
        if (account.available() < policy.minimumBalance()) {
            throw new PointsRefusedException("BELOW_MINIMUM_BALANCE",
                    "redeeming needs at least " + policy.minimumBalance() + " available points, the customer has "
                            + account.available());
        }
        if (request.points() > account.available()) {
            throw new PointsRefusedException("INSUFFICIENT_POINTS",
                    request.points() + " points asked, " + account.available() + " available");
        }
        if (request.orderValue() != null) {
            BigDecimal minimum = policy.minimumOrderValue().get(request.currency());
            if (minimum == null) {
                throw new PointsRefusedException("UNSUPPORTED_CURRENCY",
                        "no minimum order value is configured for " + request.currency());
            }
            if (request.orderValue().compareTo(minimum) < 0) {
                throw new PointsRefusedException("BELOW_MINIMUM_ORDER_VALUE",
                        "redeeming needs an order of at least " + minimum.toPlainString() + " " + request.currency());
            }
        }
        account.debit(request.points());
        account.activeAt(at);
        if (order != null) {
            order.redeemed(request.points());
        }
        return entry(account, Kind.REDEEMED, -request.points(), request.orderId(), API_REDEMPTION, causeId, at, null);
    }

    /**
     * Debits a reward's price: the caller judged the reward ({@link RewardEligibility}), so the points are available.
     * The points redemption's hurdles (minimum balance, whole units) are for paying orders, not for rewards.
     */
    public LedgerEntry redeemReward(PointsAccount account, long price, String rewardId, String causeId, Instant at) {
        if (price > account.available()) {
            throw new IllegalStateException("a reward of " + price + " points judged eligible with "
                    + account.available() + " available");
        }
        account.debit(price);
        account.activeAt(at);
        return entry(account, Kind.REDEEMED, -price, null, REWARD, causeId, at, "reward " + rewardId);
    }

    /**
     * Gives a redemption's points back when the reward could not be issued; the entry id derives from the redemption,
     * so however many failures arrive for it, one refund can be written.
     */
    public LedgerEntry refundReward(PointsAccount account, RewardRedemption redemption, String causeId, Instant at) {
        account.credit(redemption.points());
        String note = "reward " + redemption.rewardId() + " not issued: " + redemption.reason();
        return entry(entryId(redemption.redemptionId(), REWARD_REFUND, account.customerId()), account, Kind.REFUNDED,
                redemption.points(), null, REWARD_REFUND, causeId, at, note, List.of());
    }

    /** A manual correction; it may not take more than is available (no debt by hand). */
    public LedgerEntry adjust(PointsAccount account, long points, long maxAdjustment, String reason, String causeId,
                              Instant at) {
        // Not Math.abs(points): it is negative for Long.MIN_VALUE, which then passed as a small adjustment.
        if (points == 0 || points > maxAdjustment || points < -maxAdjustment) {
            throw new PointsRefusedException("ADJUSTMENT_OUT_OF_RANGE",
                    "an adjustment is between 1 and " + maxAdjustment + " points either way");
        }
        if (points < 0 && -points > account.available()) {
            throw new PointsRefusedException("INSUFFICIENT_POINTS",
                    "cannot take " + -points + " points, " + account.available() + " available");
        }
        if (points > 0) {
            account.credit(points);
        } else {
            account.debit(-points);
        }
        return entry(account, Kind.ADJUSTED, points, null, MANUAL_ADJUSTMENT, causeId, at, reason);
    }

    /** After the inactivity period every available point expires. */
    public Optional<LedgerEntry> expire(PointsAccount account, String causeId, Instant now) {
        Instant expiresAt = account.expiresAt(policy);
        if (expiresAt == null || now.isBefore(expiresAt)) {
            return Optional.empty();
        }
        long points = account.available();
        account.debit(points);
        return Optional.of(entry(account, Kind.EXPIRED, -points, null, "inactivity.expiry", causeId, now, null));
    }

    /** The warning before expiry, once per expiry date. */
    public Optional<PointsExpiring> expiryWarning(PointsAccount account, Instant now) {
        Instant expiresAt = account.expiresAt(policy);
        if (expiresAt == null || now.isBefore(expiresAt.minus(policy.expiryWarning())) || !now.isBefore(expiresAt)
                || expiresAt.equals(account.expiryWarnedFor())) {
            return Optional.empty();
        }
        account.warnedOfExpiry(expiresAt);
        return Optional.of(new PointsExpiring(account.available(), expiresAt.atOffset(ZoneOffset.UTC).toLocalDate(),
                account.available()));
    }

    /** The id of the entry a rule writes for a customer because of a cause: the same on every replay. */
    public static String entryId(String causeId, String rule, String customerId) {
        return EventIds.derive(causeId, rule + ":" + customerId);
    }

    private static LedgerEntry entry(PointsAccount account, Kind kind, long points, String orderId, String rule,
                                     String causeId, Instant at, String note) {
        return entry(entryId(causeId, rule, account.customerId()), account, kind, points, orderId, rule, causeId, at,
                note, List.of());
    }

    private static LedgerEntry entry(String entryId, PointsAccount account, Kind kind, long points, String orderId,
                                     String rule, String causeId, Instant at, String note, List<RulePoints> parts) {
        return new LedgerEntry(entryId, account.customerId(),
                kind, points, account.available(), account.pending(), account.debt(), orderId, rule, causeId, at, note,
                parts);
    }
}
