package dev.retention.points.domain;

import dev.retention.contracts.events.PointsChanged.Kind;
import dev.retention.contracts.events.RewardIssueFailed;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A reward's debit and its compensation on the ledger. */
class RewardRedemptionRulesTest {

    static final Instant T0 = Instant.parse("2031-03-15T10:00:00Z");
    final PointsRules rules = new PointsRules(PointsRulesTest.POLICY);

    @Test
    void aRewardDebitsItsPriceAndTheRefundGivesItBackUnderAnIdOfTheRedemption() {
        PointsAccount account = new PointsAccount("c-1", 700, 0, 0, 700, null, null, true, false, null);

        LedgerEntry debit = rules.redeemReward(account, 500, "r-1", "api:reward-redemption:c-1:k", T0);
        RewardRedemption redemption = RewardRedemption.requested("red-1", "c-1", "r-1", "10 EUR off", 500,
                debit.entryId(), 1, "EUR", null, T0).refunded(RewardIssueFailed.Reason.POOL_EMPTY, "no code left", T0);
        LedgerEntry refund = rules.refundReward(account, redemption, "failed-event-1", T0.plusSeconds(5));
        LedgerEntry again = rules.refundReward(PointsAccount.open("c-1"), redemption, "failed-event-2", T0);

        assertThat(debit.kind()).isEqualTo(Kind.REDEEMED);
        assertThat(debit.points()).isEqualTo(-500);
        assertThat(debit.rule()).isEqualTo(PointsRules.REWARD);
        assertThat(debit.availableAfter()).isEqualTo(200);
        assertThat(refund.kind()).isEqualTo(Kind.REFUNDED);
        assertThat(refund.points()).isEqualTo(500);
        assertThat(refund.rule()).isEqualTo(PointsRules.REWARD_REFUND);
        assertThat(refund.causeEventId()).isEqualTo("failed-event-1");
        assertThat(refund.availableAfter()).isEqualTo(700);
        assertThat(refund.note()).contains("POOL_EMPTY");
        assertThat(again.entryId()).isEqualTo(refund.entryId());
        assertThat(account.lifetimeEarned()).isEqualTo(700);
    }

    @Test
    void aRewardNeverRunsTheBalanceIntoDebt() {
        PointsAccount account = new PointsAccount("c-1", 100, 0, 0, 100, null, null, true, false, null);

        assertThatThrownBy(() -> rules.redeemReward(account, 500, "r-1", "cause", T0))
                .isInstanceOf(IllegalStateException.class);
        assertThat(account.available()).isEqualTo(100);
    }

    @Test
    void whoRedeemedOnTheCustomersBehalfStaysWithTheRedemptionWhateverItsOutcome() {
        RewardRedemption byAgent = RewardRedemption.requested("red-1", "c-1", "r-1", "n", 5, "e", 1, null,
                "support-7", T0);

        assertThat(byAgent.requestedBy()).isEqualTo("support-7");
        assertThat(byAgent.issued("t-1", "CODE", T0).requestedBy()).isEqualTo("support-7");
        assertThat(byAgent.refunded(RewardIssueFailed.Reason.POOL_EMPTY, "none left", T0).requestedBy())
                .isEqualTo("support-7");
    }

    @Test
    void aRedemptionIsSettledOnceIssuedOrRefunded() {
        RewardRedemption requested = RewardRedemption.requested("red-1", "c-1", "r-1", "n", 5, "e", 1, null, null, T0);

        assertThat(requested.isSettled()).isFalse();
        assertThat(requested.issued("t-1", "CODE", T0).isSettled()).isTrue();
        assertThat(requested.issued("t-1", "CODE", T0).status()).isEqualTo(RewardRedemption.Status.ISSUED);
        assertThat(RewardRedemption.idFor("api:reward-redemption:c-1:k"))
                .isEqualTo(RewardRedemption.idFor("api:reward-redemption:c-1:k"))
                .isNotEqualTo(RewardRedemption.idFor("api:reward-redemption:c-2:k"));
    }
}
