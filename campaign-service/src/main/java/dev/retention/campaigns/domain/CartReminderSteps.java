package dev.retention.campaigns.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * The cart reminder: a first reminder a period after the cart's last activity (a change or a checkout), and an
 * optional second one, later still, with a voucher. Each step is measured from the last activity, so activity after
 * the first reminder puts the second further off; a step once sent is never sent again for the same cart.
 */
public record CartReminderSteps(List<Step> steps) {

    /** @param offer null for a reminder without a voucher */
    public record Step(Duration after, VoucherOffer offer) {
    }

    public static final CartReminderSteps NONE = new CartReminderSteps(List.of());

    public CartReminderSteps {
        steps = List.copyOf(steps);
        if (steps.size() > 2) {
            throw new IllegalArgumentException("a cart reminder has at most 2 steps, got " + steps.size());
        }
        for (int i = 0; i < steps.size(); i++) {
            if (steps.get(i).after().isNegative() || steps.get(i).after().isZero()) {
                throw new IllegalArgumentException("a cart reminder step comes a positive time after the activity");
            }
            if (i > 0 && steps.get(i).after().compareTo(steps.get(i - 1).after()) <= 0) {
                throw new IllegalArgumentException("the second cart reminder must come later than the first");
            }
        }
    }

    /** When step {@code index} (0-based) is due after activity at {@code lastActivity}; null past the last step. */
    public Instant dueAt(Instant lastActivity, int index) {
        return lastActivity == null || index >= steps.size() ? null : lastActivity.plus(steps.get(index).after());
    }
}
