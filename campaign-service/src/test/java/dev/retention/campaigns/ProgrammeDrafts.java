package dev.retention.campaigns;

import dev.retention.contracts.programme.ProgrammeDocument;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;

/** Programme documents changed in one part, for the tests of versions and simulations. */
public final class ProgrammeDrafts {

    private ProgrammeDrafts() {
    }

    public static ProgrammeDocument withGuards(ProgrammeDocument d, BigDecimal holdoutShare, int frequencyCap,
                                               Duration window, BigDecimal monthlyBudget) {
        return d.withGuards(new ProgrammeDocument.Guards(holdoutShare, frequencyCap, window, monthlyBudget));
    }

    public static ProgrammeDocument withHoldout(ProgrammeDocument d, BigDecimal holdoutShare) {
        ProgrammeDocument.Guards g = d.guards();
        return withGuards(d, holdoutShare, g.frequencyCap(), g.frequencyCapWindow(), g.monthlyVoucherBudget());
    }

    /** The delay apology's voucher worth {@code eur} in EUR only (other currencies fall back to EUR). */
    public static ProgrammeDocument withApologyValue(ProgrammeDocument d, String eur) {
        ProgrammeDocument.DelayApology apology = d.triggers().delayApology();
        ProgrammeDocument.Offer old = apology.voucher();
        ProgrammeDocument.Offer voucher = new ProgrammeDocument.Offer(Map.of("EUR", new BigDecimal(eur)),
                null, null, old.freeShipping(), old.minimumOrderValue(), old.validFor());
        return withDelayApology(d, new ProgrammeDocument.DelayApology(apology.enabled(), apology.grace(), voucher));
    }

    public static ProgrammeDocument withApologyEnabled(ProgrammeDocument d, boolean enabled) {
        ProgrammeDocument.DelayApology apology = d.triggers().delayApology();
        return withDelayApology(d, new ProgrammeDocument.DelayApology(enabled, apology.grace(), apology.voucher()));
    }

    public static ProgrammeDocument withTierUpEnabled(ProgrammeDocument d, boolean enabled) {
        ProgrammeDocument.Triggers t = d.triggers();
        return d.withTriggers(new ProgrammeDocument.Triggers(t.delayApology(), t.birthday(), t.winBack(),
                t.reviewRequest(), t.reviewThanks(), t.referralInvitation(), new ProgrammeDocument.Switch(enabled),
                t.downgradeWarning(), t.pointsExpiring(), t.cartReminder(), t.feedback()));
    }

    private static ProgrammeDocument withDelayApology(ProgrammeDocument d, ProgrammeDocument.DelayApology apology) {
        ProgrammeDocument.Triggers t = d.triggers();
        return d.withTriggers(new ProgrammeDocument.Triggers(apology, t.birthday(), t.winBack(), t.reviewRequest(),
                t.reviewThanks(), t.referralInvitation(), t.tierUp(), t.downgradeWarning(), t.pointsExpiring(),
                t.cartReminder(), t.feedback()));
    }
}
