package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import dev.retention.contracts.programme.ProgrammeDocument;

/**
 * The global guards of marketing triggers, in this order: marketing consent, the holdout group, the per-customer
 * frequency cap across all campaigns. Service messages (delay apology, review thanks, tier news, points expiry) are
 * the customer's own business and pass unguarded. The cap and the budget's month count by the triggers' business
 * times (the time of the event, or the due time a job evaluated), never by when the service happened to decide.
 *
 * <p>Holdout membership is a hash of the customer id and a salt, so it is stable across replicas and restarts and
 * needs no table; changing the salt draws a new group.
 *
 * <p>Then, for every trigger with a voucher (service messages too: it is money either way), the monthly voucher
 * budget: the face value ({@link CampaignPolicy#faceValue}) of the vouchers issued for triggers whose business time
 * lies in a calendar month of {@code budgetZone}, in the reporting currency, stays within it; a voucher that would exceed it is not issued and its
 * trigger is recorded as {@link TriggerOutcome#MONTHLY_BUDGET_SPENT}.
 */
public final class TriggerGuards {

    private final BigDecimal holdoutShare;
    private final String holdoutSalt;
    private final int capMax;
    private final Duration capWindow;
    private final BigDecimal monthlyVoucherBudget;
    private final ZoneId budgetZone;

    public TriggerGuards(BigDecimal holdoutShare, String holdoutSalt, int capMax, Duration capWindow) {
        this(holdoutShare, holdoutSalt, capMax, capWindow, null, ZoneOffset.UTC);
    }

    /**
     * @param monthlyVoucherBudget face value per calendar month in the reporting currency; null: no budget
     * @param budgetZone           the zone whose calendar months the budget counts
     */
    public TriggerGuards(BigDecimal holdoutShare, String holdoutSalt, int capMax, Duration capWindow,
                         BigDecimal monthlyVoucherBudget, ZoneId budgetZone) {
        if (capMax < 0 || capWindow == null || capWindow.isNegative()) {
            throw new IllegalArgumentException("the frequency cap and its window must not be negative");
        }
        if (monthlyVoucherBudget != null && monthlyVoucherBudget.signum() < 0) {
            throw new IllegalArgumentException("monthlyVoucherBudget must not be negative, was " + monthlyVoucherBudget);
        }
        this.monthlyVoucherBudget = monthlyVoucherBudget;
        this.budgetZone = Objects.requireNonNull(budgetZone, "budgetZone");
        if (holdoutShare.signum() < 0 || holdoutShare.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("holdout share must be between 0 and 1, was " + holdoutShare);
        }
        this.holdoutShare = holdoutShare;
        this.holdoutSalt = holdoutSalt;
        this.capMax = capMax;
        this.capWindow = capWindow;
    }

    /**
     * The guards of a programme version: holdout share, frequency cap and its window, the monthly voucher budget
     * counted in the calendar months of the programme's time zone.
     *
     * @param holdoutSalt operational, from application.properties
     * @throws IllegalArgumentException naming the part of the document campaign-service cannot apply
     */
    public static TriggerGuards from(ProgrammeDocument document, String holdoutSalt) {
        ProgrammeDocument.Guards guards = document.guards();
        if (guards == null || guards.holdoutShare() == null || guards.frequencyCapWindow() == null) {
            throw new IllegalArgumentException("guards: holdoutShare, frequencyCap and frequencyCapWindow are required");
        }
        ZoneId zone;
        try {
            zone = ZoneId.of(document.timeZone());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("timeZone: " + document.timeZone() + " is not a time zone", e);
        }
        try {
            return new TriggerGuards(guards.holdoutShare(), holdoutSalt, guards.frequencyCap(),
                    guards.frequencyCapWindow(), guards.monthlyVoucherBudget(), zone);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("guards: " + e.getMessage(), e);
        }
    }

    /** Null: no budget. */
    public BigDecimal monthlyVoucherBudget() {
        return monthlyVoucherBudget;
    }

    /** The first day of the budget's calendar month that {@code time} (a trigger's business time) falls in. */
    public LocalDate budgetMonth(Instant time) {
        return time.atZone(budgetZone).toLocalDate().withDayOfMonth(1);
    }

    /** Whether a voucher worth {@code faceValue} still fits when {@code spent} has been issued this month. */
    public boolean withinBudget(BigDecimal spent, BigDecimal faceValue) {
        return monthlyVoucherBudget == null || spent.add(faceValue).compareTo(monthlyVoucherBudget) <= 0;
    }

    /** Amounts compare by value. */
    @Override
    public boolean equals(Object o) {
        return o instanceof TriggerGuards other && holdoutShare.compareTo(other.holdoutShare) == 0
                && holdoutSalt.equals(other.holdoutSalt) && capMax == other.capMax
                && capWindow.equals(other.capWindow) && budgetZone.equals(other.budgetZone)
                && (monthlyVoucherBudget == null ? other.monthlyVoucherBudget == null
                : other.monthlyVoucherBudget != null && monthlyVoucherBudget.compareTo(other.monthlyVoucherBudget) == 0);
    }

    @Override
    public int hashCode() {
        return Objects.hash(holdoutSalt, capMax, capWindow, budgetZone);
    }

    @Override
    public String toString() {
        return "TriggerGuards[holdoutShare=" + holdoutShare + ", cap=" + capMax + " per " + capWindow
                + ", monthlyVoucherBudget=" + monthlyVoucherBudget + " (" + budgetZone + ")]";
    }

    public static boolean isMarketing(TriggerType type) {
        return type.marketing();
    }

    public Duration capWindow() {
        return capWindow;
    }

    /** Marketing triggers a customer may get within {@link #capWindow()}. */
    public int frequencyCap() {
        return capMax;
    }

    /**
     * The holdout group as the database counts it ({@code CampaignStore#segmentSize}): the share and salt of
     * {@link #inHoldout}, whose hash the count repeats in SQL.
     */
    public BigDecimal holdoutShare() {
        return holdoutShare;
    }

    public String holdoutSalt() {
        return holdoutSalt;
    }

    /**
     * How many of a customer's fired marketing triggers, given by their business times, lie in the cap window that
     * ends at {@code businessTime}: {@code (businessTime - capWindow, businessTime]}. Business times, not processing
     * times, so that a replay, a late event or a fresh platform counts the same triggers; one decided later with an
     * earlier or equal business time counts, one with a later business time does not.
     */
    public int firedInWindow(java.util.Collection<Instant> fired, Instant businessTime) {
        Instant since = businessTime.minus(capWindow);
        return (int) fired.stream().filter(at -> at.isAfter(since) && !at.isAfter(businessTime)).count();
    }

    /**
     * @param consent     the customer gave marketing consent on at least one channel
     * @param firedInWindow marketing triggers fired for the customer within the cap window, this one excluded
     */
    public TriggerOutcome decide(TriggerRequest request, boolean consent, int firedInWindow) {
        if (!request.marketing()) {
            return TriggerOutcome.FIRED;
        }
        if (!consent) {
            return TriggerOutcome.NO_CONSENT;
        }
        if (inHoldout(request.customerId())) {
            return TriggerOutcome.HELD_OUT;
        }
        return firedInWindow >= capMax ? TriggerOutcome.CAPPED : TriggerOutcome.FIRED;
    }

    public boolean inHoldout(String customerId) {
        return bucket(customerId).compareTo(holdoutShare) < 0;
    }

    /** The customer's place in [0, 1), uniform over customer ids. */
    BigDecimal bucket(String customerId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest((holdoutSalt + ":" + customerId).getBytes(StandardCharsets.UTF_8));
            long value = ByteBuffer.wrap(digest).getLong() >>> 11; // 53 uniform bits
            return BigDecimal.valueOf(value).divide(BigDecimal.valueOf(1L << 53));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JDK", e);
        }
    }
}
