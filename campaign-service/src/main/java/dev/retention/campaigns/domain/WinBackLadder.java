package dev.retention.campaigns.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Up to three win-back offers of growing value, each due a period after the last order. A new order starts the
 * ladder again from the first step.
 */
public record WinBackLadder(List<Step> steps) {

    public record Step(Duration after, VoucherOffer offer) {
    }

    public WinBackLadder {
        steps = List.copyOf(steps);
        if (steps.size() > 3) {
            throw new IllegalArgumentException("a win-back ladder has at most 3 steps, got " + steps.size());
        }
        for (int i = 1; i < steps.size(); i++) {
            if (steps.get(i).after().compareTo(steps.get(i - 1).after()) <= 0) {
                throw new IllegalArgumentException("win-back steps must come later one after the other");
            }
        }
    }

    /** When step {@code index} (0-based) is due after an order at {@code lastOrderAt}; null past the last step. */
    public Instant dueAt(Instant lastOrderAt, int index) {
        return lastOrderAt == null || index >= steps.size() ? null : lastOrderAt.plus(steps.get(index).after());
    }
}
