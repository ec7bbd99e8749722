package dev.retention.points.domain;

import dev.retention.points.domain.RewardEligibility.Refusal;

import java.util.List;
import java.util.stream.Collectors;

/** A reward the customer cannot take now, with every reason; the first one is the answer's {@code reason}. */
public class RewardRefusedException extends RuntimeException {

    private final String rewardId;
    private final List<Refusal> refusals;

    public RewardRefusedException(String rewardId, List<Refusal> refusals) {
        super("reward " + rewardId + " cannot be redeemed now: " + refusals.stream()
                .map(r -> r.reason() + " (" + r.detail() + ")").collect(Collectors.joining(", ")));
        if (refusals.isEmpty()) {
            throw new IllegalArgumentException("a refusal needs a reason");
        }
        this.rewardId = rewardId;
        this.refusals = List.copyOf(refusals);
    }

    public String rewardId() {
        return rewardId;
    }

    public List<Refusal> refusals() {
        return refusals;
    }

    public Refusal first() {
        return refusals.get(0);
    }
}
