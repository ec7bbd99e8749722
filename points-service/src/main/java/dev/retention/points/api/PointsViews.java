package dev.retention.points.api;

import dev.retention.contracts.events.Violations;
import dev.retention.points.application.ReadPoints;
import dev.retention.points.application.RequestProblems;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.RedemptionRequest;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.hibernate.validator.constraints.CodePointLength;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/** What the points API reads and writes. Amounts are decimal strings, as on the topics. */
public final class PointsViews {

    private PointsViews() {
    }

    public record Balance(String customerId, long available, long pending, long debt, long lifetimeEarned,
                          ExpiringSoon expiringSoon) {

        static Balance of(ReadPoints.Balance balance) {
            PointsAccount account = balance.account();
            return new Balance(account.customerId(), account.available(), account.pending(), account.debt(),
                    account.lifetimeEarned(), balance.expiresOn() == null ? null
                    : new ExpiringSoon(account.available(), balance.expiresOn()));
        }
    }

    /** Points that expire within the warning period unless the customer is active; null when none. */
    public record ExpiringSoon(long points, LocalDate expiresOn) {
    }

    /**
     * {@code rules}: for an order's earning, its parts (the base rate {@code order.base}, each earning rule that
     * applied by its id, the tier's part {@code order.tier}), which sum to {@code points}; null for other entries.
     */
    public record Entry(String entryId, String kind, long points, long availableAfter, long pendingAfter,
                        long debtAfter, String orderId, String rule, String causeEventId, Instant occurredAt,
                        String note, List<RuleShare> rules) {

        static Entry of(LedgerEntry entry) {
            return new Entry(entry.entryId(), entry.kind().name(), entry.points(), entry.availableAfter(),
                    entry.pendingAfter(), entry.debtAfter(), entry.orderId(), entry.rule(), entry.causeEventId(),
                    entry.occurredAt(), entry.note(), entry.rules().isEmpty() ? null
                            : entry.rules().stream().map(part -> new RuleShare(part.ruleId(), part.points())).toList());
        }
    }

    /** What one earning rule (or the base rate, or the tier) gave to a ledger entry. */
    public record RuleShare(String ruleId, long points) {
    }

    /** Newest first; pass {@code nextBefore} as {@code before} for the next page (null: no more). */
    public record LedgerPage(List<Entry> entries, Long nextBefore) {

        static LedgerPage of(dev.retention.points.domain.LedgerPage page) {
            return new LedgerPage(page.entries().stream().map(Entry::of).toList(), page.nextBefore());
        }
    }

    /**
     * Described as the contracts' money ({@code Money}, replaced by the eventing kit's description filter): the same
     * amount pattern, the listed ISO 4217 currencies (checked by {@link RedemptionBody#toRequest}).
     */
    @Schema(name = "Money")
    public record MoneyBody(
            @NotNull @Pattern(regexp = "^(0|[1-9][0-9]{0,14})(\\.[0-9]{1,4})?$",
                    message = "must be a non-negative decimal string such as \"25.00\"") String amount,
            @NotNull @Pattern(regexp = "^[A-Z]{3}$", message = "must be an ISO 4217 code") String currency) {
    }

    /** Lengths in characters as JSON Schema counts them (code points: an emoji is one), not UTF-16 units. */
    public record RedemptionBody(
            @NotNull @Positive @Max(1_000_000) Long points,
            @CodePointLength(min = 1, max = 200) @Schema(minLength = 1, maxLength = 200) String orderId,
            @Valid MoneyBody orderValue) {

        /** The request the rules check; a currency not in ISO 4217's list is a 400 naming the field. */
        RedemptionRequest toRequest() {
            if (orderValue == null) {
                return new RedemptionRequest(points, orderId, null, null);
            }
            if (!Violations.isListedCurrency(orderValue.currency())) {
                throw new RequestProblems.BadRequest("orderValue.currency: unknown ISO 4217 currency '"
                        + orderValue.currency() + "'");
            }
            return new RedemptionRequest(points, orderId, new BigDecimal(orderValue.amount()), orderValue.currency());
        }
    }

    /**
     * {@code points} is bounded by {@code retention.points.max-adjustment} either way, not 0: the resource checks it
     * and {@link AdjustmentLimitInApiDescription} writes the bounds into the API description.
     */
    public record AdjustmentBody(
            @NotNull Long points,
            @NotBlank @CodePointLength(max = 500) @Schema(maxLength = 500) String reason) {
    }

    public record Movement(String entryId, String kind, long points, long available, long pending, long debt) {

        static Movement of(LedgerEntry entry) {
            return new Movement(entry.entryId(), entry.kind().name(), entry.points(), entry.availableAfter(),
                    entry.pendingAfter(), entry.debtAfter());
        }
    }
}
