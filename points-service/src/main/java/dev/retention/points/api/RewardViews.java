package dev.retention.points.api;

import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.points.application.ReadRewards;
import dev.retention.points.application.RedeemReward;
import dev.retention.points.domain.RewardRedemption;
import jakarta.validation.constraints.Pattern;
import org.eclipse.microprofile.openapi.annotations.media.Schema;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** What the rewards API reads and writes. Amounts are decimal strings, as on the topics. */
public final class RewardViews {

    private RewardViews() {
    }

    /**
     * A reward of the catalogue in force, as this customer sees it now: {@code voucher} for the voucher kinds,
     * {@code partnerText} for a partner reward; {@code stockLeft} null: unlimited; {@code reasons} empty when
     * eligible.
     */
    public record RewardView(
            String id, String name, String description,
            @Schema(enumeration = {"FIXED_VOUCHER", "PERCENT_VOUCHER", "FREE_SHIPPING", "FREE_GIFT", "PARTNER"})
            String kind,
            long price, Instant availableFrom, Instant availableUntil, String minimumTier, Limit perCustomer,
            VoucherTerms voucher, String partnerText, Long stockLeft, boolean eligible, List<ReasonView> reasons) {

        static RewardView of(ReadRewards.RewardStatus status) {
            Reward reward = status.reward();
            return new RewardView(reward.id(), reward.name(), reward.description(),
                    reward.kind() == null ? null : reward.kind().name(), reward.price(),
                    reward.available() == null ? null : reward.available().from(),
                    reward.available() == null ? null : reward.available().until(), reward.minimumTier(),
                    reward.perCustomer() == null ? null : new Limit(reward.perCustomer().count(),
                            reward.perCustomer().period() == null ? null : reward.perCustomer().period().name()),
                    VoucherTerms.of(reward.voucher()), reward.partner() == null ? null : reward.partner().text(),
                    status.stockLeft(), status.verdict().eligible(), status.verdict().refusals().stream()
                    .map(r -> new ReasonView(r.reason().name(), r.detail())).toList());
        }
    }

    /** How many one customer may redeem per period ({@code DAY}, {@code WEEK}, {@code MONTH}, {@code YEAR}; null: ever). */
    public record Limit(int count, String period) {
    }

    /**
     * @param code WINDOW, TIER, LIMIT, STOCK or POINTS
     */
    public record ReasonView(
            @Schema(enumeration = {"WINDOW", "TIER", "LIMIT", "STOCK", "POINTS"}) String code,
            String detail) {
    }

    /**
     * A voucher reward's terms: values, minimum order values and ceilings by currency as decimal strings;
     * {@code validFor} an ISO 8601 duration.
     */
    public record VoucherTerms(Map<String, String> value, String percentOff, Map<String, String> maximumDiscount,
                               boolean freeShipping, String freeGiftSku, Map<String, String> minimumOrderValue,
                               String validFor) {

        static VoucherTerms of(Offer offer) {
            if (offer == null) {
                return null;
            }
            return new VoucherTerms(amounts(offer.value()),
                    offer.percentOff() == null ? null : offer.percentOff().toPlainString(),
                    amounts(offer.maximumDiscount()), Boolean.TRUE.equals(offer.freeShipping()), offer.freeGiftSku(),
                    amounts(offer.minimumOrderValue()), offer.validFor() == null ? null : offer.validFor().toString());
        }

        private static Map<String, String> amounts(Map<String, BigDecimal> byCurrency) {
            Map<String, String> amounts = new TreeMap<>();
            byCurrency.forEach((currency, amount) -> amounts.put(currency, amount.toPlainString()));
            return amounts;
        }
    }

    /** Optional: the currency the customer shops in, for a voucher with a value per currency. */
    public record RewardRedemptionBody(
            @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code") String currency) {
    }

    /**
     * The redemption as the request made it: {@code status} is REQUESTED (the points are debited, the reward is being
     * issued); the customer's redemptions list shows how it ended.
     */
    public record Redemption(String redemptionId, String rewardId, long points,
                             @Schema(enumeration = {"REQUESTED"}) String status, long availableAfter) {

        static Redemption of(RedeemReward.Redeemed redeemed) {
            return new Redemption(redeemed.redemption().redemptionId(), redeemed.redemption().rewardId(),
                    redeemed.redemption().points(), RewardRedemption.Status.REQUESTED.name(),
                    redeemed.debit().availableAfter());
        }
    }

    /**
     * A redemption and how it stands: REQUESTED, ISSUED ({@code voucherCode} for a voucher; a partner's code goes to
     * the customer's message only) or REFUNDED ({@code reason} POOL_EMPTY, CUSTOMER_ERASED or NOT_ISSUABLE, the
     * points given back). {@code requestedBy}: the subject of the support agent or admin who redeemed on the
     * customer's behalf; null when the customer redeemed through the storefront.
     */
    public record RedemptionStatus(String redemptionId, String rewardId, String rewardName, long points,
                                   @Schema(enumeration = {"REQUESTED", "ISSUED", "REFUNDED"}) String status,
                                   String reason, String detail, String voucherCode, String currency,
                                   Instant requestedAt, Instant settledAt,
                                   @Schema(description = "who redeemed on the customer's behalf "
                                           + "(a staff token's subject); null: the customer, through the storefront")
                                   String requestedBy) {

        static RedemptionStatus of(RewardRedemption r) {
            return new RedemptionStatus(r.redemptionId(), r.rewardId(), r.rewardName(), r.points(), r.status().name(),
                    r.reason(), r.detail(), r.voucherCode(), r.currency(), r.requestedAt(), r.settledAt(),
                    r.requestedBy());
        }
    }
}
