package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.simulation.CampaignSimulation;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CampaignFigures;
import dev.retention.contracts.programme.simulation.CampaignSimulation.CustomerVouchers;
import dev.retention.contracts.programme.simulation.CampaignSimulation.TriggerFigures;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Currency;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * The trigger log of a period decided again, once under the programme versions that were in force and once under a
 * draft as if it had been in force over the whole period, through the live path's own {@link TriggerDecision}.
 *
 * <p>The period is one of business times: rows whose business time lies in {@code [from, to)} are decided again, by
 * their business time as the live path decides them. Feed it the log in the order the triggers were decided
 * ({@code fired_at}, then their place in the transaction, then trigger id), with what their cap and budget counted:
 * rows with business times before {@code from} (the marketing triggers fired within the longest cap window, the
 * vouchers of the budget month that holds {@code from}) and vouchers with business times after {@code to} in the
 * budget month that holds it, decided before the period's last trigger; those are taken as they were on both sides.
 * The order of deciding, not of business time, is what makes the side in force equal the log: a late event's
 * trigger was counted only by the triggers decided after it. Only a trigger's own facts are used:
 * <ul>
 *     <li>its switch, offer (value, percentage, free shipping, minimum, validity) and guards come from the side's
 *     version at its business time; a trigger the side has switched off (or a win-back step beyond its ladder) is
 *     not asked for;</li>
 *     <li>consent as recorded: a {@code NO_CONSENT} trigger stays one, any other had consent;</li>
 *     <li>holdout from the customer id and the salt, the frequency cap over the customer's marketing triggers fired
 *     with business times in the side's window ending at the trigger's, the monthly budget in the month of its
 *     business time in the zone of the side's version then; the voucher valid from {@code fired_at}, as
 *     issued;</li>
 *     <li>segment offers (their campaign's own offer and {@code maxVouchers}) count as they were on both sides, and
 *     so do their cap and budget use.</li>
 * </ul>
 * Face values per customer are in the reporting currency, as the monthly budget counts them
 * ({@link CampaignPolicy#faceValue}).
 *
 * <p>A draft that moves customers between tiers ({@link DraftTierUps}) asks, on the draft side, for those customers'
 * tier-ups at the times its timelines give instead of the tier-ups the log holds for them in the period; each is
 * decided before the first of the customer's later rows whose business time is not before it, so in business-time
 * order among the customer's own triggers, and those left at the end of the log after it.
 */
public final class CampaignSimulator {

    private final Function<Instant, CampaignProgramme> inForceAt;
    private final Instant from;
    private final Instant to;
    private final Side inForce;
    private final Side draft;
    private final Map<String, CustomerTotals> customers = new HashMap<>();
    private final DraftTierUps draftTierUps;
    /** The draft's tier-ups not decided yet, per listed customer, in business-time order. */
    private final Map<String, ArrayDeque<DraftTierUps.TierUp>> pendingTierUps = new TreeMap<>();
    private long triggers;
    private long draftTierUpCount;

    /**
     * @param inForceAt        the version in force at a time (before version 1: the baseline)
     * @param longestCapWindow the longest frequency cap window of any version, the draft's included: how long a
     *                         customer's fired triggers are remembered
     */
    public CampaignSimulator(Function<Instant, CampaignProgramme> inForceAt, CampaignProgramme draft, Instant from,
                             Instant to, Duration longestCapWindow) {
        this(inForceAt, draft, from, to, longestCapWindow, DraftTierUps.none());
    }

    /**
     * @param draftTierUps the tier-ups the draft asks for the customers it moves between tiers; on the draft side they
     *                     replace the tier-ups the log holds for those customers in the period
     */
    public CampaignSimulator(Function<Instant, CampaignProgramme> inForceAt, CampaignProgramme draft, Instant from,
                             Instant to, Duration longestCapWindow, DraftTierUps draftTierUps) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        this.inForceAt = inForceAt;
        this.from = from;
        this.to = to;
        this.inForce = new Side(inForceAt, from, to, longestCapWindow);
        this.draft = new Side(time -> draft, from, to, longestCapWindow);
        this.draftTierUps = draftTierUps;
        draftTierUps.customers().forEach(customer ->
                pendingTierUps.put(customer, new ArrayDeque<>(draftTierUps.of(customer))));
    }

    /**
     * Where reading the log must start: the longest cap window before {@code from}, or the start of the budget month
     * holding {@code from} in any time zone (a day before the month's start in UTC), whichever is earlier.
     */
    public static Instant historyStart(Instant from, Duration longestCapWindow) {
        Instant monthStart = from.atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).minusDays(1)
                .atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
        Instant capStart = from.minus(longestCapWindow);
        return capStart.isBefore(monthStart) ? capStart : monthStart;
    }

    /**
     * Where reading the log may end: the end of the budget month holding the period's last moment in any time zone
     * (a day after the month's end in UTC). A voucher with a later business time is in no period trigger's month.
     */
    public static Instant historyEnd(Instant to) {
        return to.minusNanos(1).atZone(java.time.ZoneOffset.UTC).toLocalDate().withDayOfMonth(1).plusMonths(1)
                .plusDays(1).atStartOfDay(java.time.ZoneOffset.UTC).toInstant();
    }

    /** The next row of the log, in the order they were decided. */
    public void accept(PastTrigger row) {
        Instant businessTime = row.decidedUnder();
        decideDraftTierUps(row.customerId(), businessTime);
        // What the trigger counted when it was decided: both sides start the period from the log as it is.
        // A reward's voucher was paid in points: the live path counts it in no voucher budget (RewardIssuer).
        BigDecimal storedFaceValue = row.voucher() == null || row.type() == TriggerType.REWARD ? BigDecimal.ZERO
                : inForceAt.apply(businessTime).policy().faceValue(row.voucher());
        if (businessTime.isBefore(from) || !businessTime.isBefore(to)) {
            inForce.remember(row, storedFaceValue);
            draft.remember(row, storedFaceValue);
            return;
        }
        triggers++;
        // A reward is issued on the terms the customer paid for, whatever the draft: it stays as it was.
        boolean asItWas = row.segmentOffer() || row.type() == TriggerType.REWARD;
        TriggerDecision before = asItWas ? inForce.asItWas(row, storedFaceValue) : inForce.decide(row);
        TriggerDecision after = asItWas ? draft.asItWas(row, storedFaceValue)
                : replacedByDraftTierUps(row) ? draft.skip(row) : draft.decide(row);
        CustomerTotals totals = customers.computeIfAbsent(row.customerId(), CustomerTotals::new);
        totals.add(before, after);
    }

    /** A logged tier-up of a customer the draft moves: the draft asks for its own tier-ups for them instead. */
    private boolean replacedByDraftTierUps(PastTrigger row) {
        return row.type() == TriggerType.TIER_UP && draftTierUps.lists(row.customerId());
    }

    /** The draft's tier-ups of the customer whose business times are not after {@code until}, decided now. */
    private void decideDraftTierUps(String customerId, Instant until) {
        ArrayDeque<DraftTierUps.TierUp> pending = pendingTierUps.get(customerId);
        while (pending != null && !pending.isEmpty() && !pending.peekFirst().effectiveAt().isAfter(until)) {
            DraftTierUps.TierUp tierUp = pending.pollFirst();
            TriggerDecision decision = draft.decide(tierUp.request(), tierUp.effectiveAt(),
                    "draft-tier-up-" + ++draftTierUpCount);
            customers.computeIfAbsent(customerId, CustomerTotals::new).add(null, decision);
        }
    }

    /** The figures of the rows seen; {@code top} customers whose vouchers' face value changes most. */
    public CampaignSimulation result(int top) {
        // The draft's tier-ups after the customer's last row in the log.
        pendingTierUps.keySet().forEach(customer -> decideDraftTierUps(customer, Instant.MAX));
        List<CustomerTotals> affected = customers.values().stream().filter(CustomerTotals::affected)
                .sorted(Comparator.comparing(CustomerTotals::faceValueChange).reversed()
                        .thenComparing(Comparator.comparingLong(CustomerTotals::voucherChange).reversed())
                        .thenComparing(CustomerTotals::customerId))
                .toList();
        return new CampaignSimulation(triggers, inForce.figures(), draft.figures(), affected.size(),
                affected.stream().limit(top).map(CustomerTotals::toVouchers).toList());
    }

    /** One side's running state: cap use per customer, spend per budget month, figures per trigger type. */
    private static final class Side {

        private final Function<Instant, CampaignProgramme> programmeAt;
        /** Business times at or before this are in no period trigger's cap window. */
        private final Instant forgotten;
        private final Instant to;
        private final Map<String, List<Instant>> firedLately = new HashMap<>();
        private final Map<LocalDate, BigDecimal> spentByMonth = new HashMap<>();
        private final Map<TriggerType, Counts> byTrigger = new TreeMap<>();

        Side(Function<Instant, CampaignProgramme> programmeAt, Instant from, Instant to, Duration longestCapWindow) {
            this.programmeAt = programmeAt;
            this.forgotten = from.minus(longestCapWindow);
            this.to = to;
        }

        /** A trigger outside the period (or a segment offer in it), as it was. */
        void remember(PastTrigger row, BigDecimal faceValue) {
            if (row.outcome() == TriggerOutcome.FIRED && row.type().marketing()) {
                fired(row.customerId(), row.decidedUnder());
            }
            spend(row.decidedUnder(), faceValue);
        }

        /** A segment offer in the period, as it was. */
        TriggerDecision asItWas(PastTrigger row, BigDecimal faceValue) {
            remember(row, faceValue);
            TriggerDecision decision = new TriggerDecision(row.outcome(), row.voucher(), faceValue);
            counts(row.type()).add(decision);
            return decision;
        }

        /** A trigger of the log this side does not ask for: its type is listed all the same, as a switched-off one. */
        TriggerDecision skip(PastTrigger row) {
            counts(row.type());
            return null;
        }

        /** A built-in trigger in the period, decided again under this side's version at its business time. */
        TriggerDecision decide(PastTrigger row) {
            counts(row.type()); // the type is listed, with zeros if the side switches it off
            CampaignProgramme programme = programmeAt.apply(row.decidedUnder());
            CampaignPolicy policy = programme.policy();
            if (!policy.on(row.type())) {
                return null; // switched off: never asked for
            }
            VoucherOffer offer;
            switch (row.type()) {
                case DELAY_APOLOGY -> offer = policy.delayApologyOffer();
                case BIRTHDAY_OFFER -> offer = policy.birthdayOffer();
                case WIN_BACK -> {
                    int step = row.winBackStep();
                    if (step > policy.winBack().steps().size()) {
                        return null; // beyond this ladder: never asked for
                    }
                    offer = policy.winBack().steps().get(step - 1).offer();
                }
                case CART_REMINDER -> {
                    int step = row.cartReminderStep();
                    if (step > policy.cartReminder().steps().size()) {
                        return null; // beyond this programme's steps: never asked for
                    }
                    offer = policy.cartReminder().steps().get(step - 1).offer();
                }
                default -> offer = null;
            }
            String currency = offer == null ? null : row.voucherCurrency() != null ? row.voucherCurrency()
                    : row.voucher() != null ? row.voucher().currency() : policy.baseCurrency();
            return decide(programme, row.request(offer, currency), row.decidedUnder(),
                    row.outcome() != TriggerOutcome.NO_CONSENT, row.triggerId(), row.firedAt());
        }

        /**
         * A trigger the side asks for that the log does not hold (a draft's tier-up), decided at its business time
         * and issued then. Consent is taken as given: only marketing triggers ask for it, and a tier-up is none.
         */
        TriggerDecision decide(TriggerRequest request, Instant issuedAt, String triggerId) {
            counts(request.type());
            CampaignProgramme programme = programmeAt.apply(request.businessTime());
            if (!programme.policy().on(request.type())) {
                return null; // switched off: never asked for
            }
            return decide(programme, request, request.businessTime(), true, triggerId, issuedAt);
        }

        private TriggerDecision decide(CampaignProgramme programme, TriggerRequest request, Instant businessTime,
                                       boolean consent, String triggerId, Instant issuedAt) {
            TriggerDecision decision = TriggerDecision.decide(programme, request, consent,
                    programme.guards().firedInWindow(firedLately.getOrDefault(request.customerId(), List.of()),
                            businessTime),
                    true, spent(businessTime), () -> "SIMULATED", triggerId, issuedAt);
            if (decision.countsAgainstCap(request)) {
                fired(request.customerId(), businessTime);
            }
            spend(businessTime, decision.faceValue());
            counts(request.type()).add(decision);
            return decision;
        }

        private Counts counts(TriggerType type) {
            return byTrigger.computeIfAbsent(type, t -> new Counts());
        }

        /** The month the live path spends in: the one holding the business time in the zone in force then. */
        private LocalDate month(Instant businessTime) {
            return programmeAt.apply(businessTime).guards().budgetMonth(businessTime);
        }

        private BigDecimal spent(Instant businessTime) {
            return spentByMonth.getOrDefault(month(businessTime), BigDecimal.ZERO);
        }

        private void spend(Instant businessTime, BigDecimal faceValue) {
            if (faceValue.signum() != 0) {
                spentByMonth.merge(month(businessTime), faceValue, BigDecimal::add);
            }
        }

        /**
         * Remembers a fired marketing trigger's business time, unless no period trigger's cap window can reach it
         * (before the longest window ahead of {@code from}, or from {@code to} on). Not pruned as the stream goes:
         * a late trigger decided later may still count one of an earlier business time.
         */
        private void fired(String customerId, Instant businessTime) {
            if (businessTime.isAfter(forgotten) && businessTime.isBefore(to)) {
                firedLately.computeIfAbsent(customerId, id -> new ArrayList<>()).add(businessTime);
            }
        }

        CampaignFigures figures() {
            Map<String, TriggerFigures> figures = new TreeMap<>();
            byTrigger.forEach((type, counts) -> figures.put(type.wireName(), counts.figures()));
            return new CampaignFigures(figures);
        }
    }

    /** One trigger type's figures on one side. */
    private static final class Counts {
        private long fired;
        private long heldOut;
        private long capped;
        private long noConsent;
        private long overBudget;
        private long vouchers;
        private long percentageVouchers;
        private final Map<String, BigDecimal> faceValue = new TreeMap<>();

        void add(TriggerDecision decision) {
            if (decision == null) {
                return;
            }
            switch (decision.outcome()) {
                case FIRED -> fired++;
                case HELD_OUT -> heldOut++;
                case CAPPED -> capped++;
                case NO_CONSENT -> noConsent++;
                // The campaign's own budget and the programme's monthly one alike: a voucher not issued for money.
                case OVER_BUDGET, MONTHLY_BUDGET_SPENT -> overBudget++;
            }
            IssuedVoucher voucher = decision.voucher();
            if (voucher == null) {
                return;
            }
            vouchers++;
            if (voucher.percentOff() != null) {
                percentageVouchers++;
            }
            if (voucher.value() != null) {
                faceValue.merge(voucher.currency(), voucher.value(), BigDecimal::add);
            }
        }

        TriggerFigures figures() {
            Map<String, BigDecimal> amounts = new TreeMap<>();
            faceValue.forEach((currency, amount) -> amounts.put(currency, inMinorUnits(amount, currency)));
            return new TriggerFigures(fired, heldOut, capped, noConsent, overBudget, vouchers, percentageVouchers,
                    amounts);
        }
    }

    /** An amount with at least its currency's decimals (10.00 EUR, not 10 nor 10.0000). */
    static BigDecimal inMinorUnits(BigDecimal amount, String currency) {
        int digits;
        try {
            digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
        } catch (IllegalArgumentException e) {
            digits = 2;
        }
        BigDecimal plain = amount.stripTrailingZeros();
        return plain.setScale(Math.max(digits, plain.scale()));
    }

    /** A customer's vouchers in the period on both sides. */
    private static final class CustomerTotals {
        private final String customerId;
        private long vouchersInForce;
        private long vouchersDraft;
        private BigDecimal faceValueInForce = BigDecimal.ZERO;
        private BigDecimal faceValueDraft = BigDecimal.ZERO;

        CustomerTotals(String customerId) {
            this.customerId = customerId;
        }

        void add(TriggerDecision inForce, TriggerDecision draft) {
            if (inForce != null && inForce.voucher() != null) {
                vouchersInForce++;
                faceValueInForce = faceValueInForce.add(inForce.faceValue());
            }
            if (draft != null && draft.voucher() != null) {
                vouchersDraft++;
                faceValueDraft = faceValueDraft.add(draft.faceValue());
            }
        }

        String customerId() {
            return customerId;
        }

        boolean affected() {
            return vouchersInForce != vouchersDraft || faceValueInForce.compareTo(faceValueDraft) != 0;
        }

        BigDecimal faceValueChange() {
            return faceValueDraft.subtract(faceValueInForce).abs();
        }

        long voucherChange() {
            return Math.abs(vouchersDraft - vouchersInForce);
        }

        CustomerVouchers toVouchers() {
            return new CustomerVouchers(customerId, vouchersInForce, vouchersDraft,
                    atLeastCents(faceValueInForce), atLeastCents(faceValueDraft));
        }

        /** Converted amounts keep every decimal the rates gave them, and at least two. */
        private static BigDecimal atLeastCents(BigDecimal amount) {
            BigDecimal plain = amount.stripTrailingZeros();
            return plain.setScale(Math.max(2, plain.scale()));
        }
    }
}
