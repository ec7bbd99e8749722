package dev.retention.campaigns.domain;

import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.events.TriggerType;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FeedbackRulesTest {

    static final Instant NOW = Instant.parse("2026-03-10T12:00:00Z");
    static final VoucherOffer FIVE_EUR = new VoucherOffer(Map.of("EUR", new BigDecimal("5.00")), null, null, false,
            Map.of(), Duration.ofDays(30));

    /** The programme with feedback mails (or review requests), the apology voucher and referral invitations. */
    static CampaignRules rules(boolean feedbackMails, boolean serviceRecovery) {
        CampaignPolicy policy = CampaignPolicy.builder()
                .currency("EUR", Map.of("EUR", BigDecimal.ONE, "USD", new BigDecimal("0.90")))
                .reviewRequestAfter(Duration.ofDays(7))
                .enable(TriggerType.REVIEW_REQUEST, !feedbackMails)
                .enable(TriggerType.FEEDBACK_REQUEST, feedbackMails)
                .enable(TriggerType.REFERRAL_INVITATION, true)
                .enable(TriggerType.SERVICE_RECOVERY, serviceRecovery)
                .serviceRecovery(serviceRecovery ? FIVE_EUR : null)
                .feedbackLinkValidFor(Duration.ofDays(14))
                .build();
        return new CampaignRules(policy, new VoucherCodeGenerator());
    }

    private static FeedbackAnswer answer(int score) {
        return new FeedbackAnswer("c-1", "o-1", score, "a comment", FeedbackChannel.WEB, NOW, "evt-1");
    }

    private static OrderState order(String currency) {
        OrderState order = new OrderState("o-1", "c-1");
        order.place(currency, new BigDecimal("50"), false);
        return order;
    }

    @Property
    void detractorsGetTheApologyVoucherPromotersTheReferralInvitationPassivesNothing(
            @ForAll @IntRange(min = 0, max = 10) int score) {
        List<TriggerRequest> requests = rules(true, true).feedbackRecorded(answer(score), new CustomerState("c-1"),
                order("USD"));

        if (score <= 6) {
            assertThat(requests).singleElement().satisfies(r -> {
                assertThat(r.type()).isEqualTo(TriggerType.SERVICE_RECOVERY);
                assertThat(r.dedupeKey()).isEqualTo("o-1"); // once per order
                assertThat(r.orderId()).isEqualTo("o-1");
                assertThat(r.offer()).isEqualTo(FIVE_EUR);
                assertThat(r.currency()).isEqualTo("USD"); // the order's currency
                assertThat(r.attributes()).containsEntry("score", Integer.toString(score));
                assertThat(r.marketing()).isFalse();
                assertThat(r.businessTime()).isEqualTo(NOW);
            });
        } else if (score >= 9) {
            assertThat(requests).singleElement().satisfies(r -> {
                assertThat(r.type()).isEqualTo(TriggerType.REFERRAL_INVITATION);
                assertThat(r.dedupeKey()).isEqualTo("c-1"); // once per customer, whatever asked for it
                assertThat(r.attributes()).containsKey("referralCode");
            });
        } else {
            assertThat(requests).isEmpty();
        }
        // The comment never reaches a trigger.
        assertThat(requests).allSatisfy(r -> assertThat(r.attributes().values()).doesNotContain("a comment")
                .allSatisfy(v -> assertThat(r.reason()).doesNotContain("a comment")));
    }

    @Property
    void withoutAnApologyVoucherADetractorGetsNoMessage(@ForAll @IntRange(min = 0, max = 6) int score) {
        assertThat(rules(true, false).feedbackRecorded(answer(score), new CustomerState("c-1"), order("EUR")))
                .isEmpty();
    }

    @Test
    void aPromotersReferralKeepsTheCustomersReferralCode() {
        CustomerState customer = new CustomerState("c-1");
        String code = customer.referralCode(() -> "REF-KEPT");

        TriggerRequest referral = rules(true, true).feedbackRecorded(answer(10), customer, order("EUR")).get(0);

        assertThat(referral.attributes()).containsEntry("referralCode", code);
    }

    @Test
    void theFeedbackMailReplacesTheReviewRequestAndItsLinksExpireFromTheDueTime() {
        Instant delivered = NOW.minus(Duration.ofDays(8));
        OrderState order = order("EUR");
        order.deliver(delivered, "evt-delivered", delivered.plus(Duration.ofDays(7)));

        Optional<TriggerRequest> request = rules(true, true).reviewRequestDue(order, NOW);

        assertThat(request).get().satisfies(r -> {
            assertThat(r.type()).isEqualTo(TriggerType.FEEDBACK_REQUEST);
            assertThat(r.dedupeKey()).isEqualTo("o-1");
            assertThat(r.marketing()).isTrue();
            assertThat(r.attributes()).containsEntry("linksValidUntil",
                    delivered.plus(Duration.ofDays(7)).plus(Duration.ofDays(14)).toString());
        });
    }

    @Test
    void withoutFeedbackMailsTheReviewRequestGoesAsBefore() {
        Instant delivered = NOW.minus(Duration.ofDays(8));
        OrderState order = order("EUR");
        order.deliver(delivered, "evt-delivered", delivered.plus(Duration.ofDays(7)));

        assertThat(rules(false, true).reviewRequestDue(order, NOW)).get()
                .satisfies(r -> assertThat(r.type()).isEqualTo(TriggerType.REVIEW_REQUEST));
    }

    @Test
    void anAnswerOutsideZeroToTenIsRefusedAndTheCommentNeverPrinted() {
        assertThatThrownBy(() -> answer(11)).isInstanceOf(IllegalArgumentException.class);
        assertThat(answer(3).toString()).doesNotContain("a comment").contains("comment=present");
        assertThat(answer(3).withoutComment().comment()).isNull();
    }
}
