package dev.retention.notifications.domain;

import java.time.Instant;

/** What to do with a due notification now: send it, hold it until a time, or suppress it for a reason. */
public record DeliveryDecision(Kind kind, Instant holdUntil, String reason) {

    public enum Kind { SEND, HOLD, SUPPRESS }

    public static DeliveryDecision send() {
        return new DeliveryDecision(Kind.SEND, null, null);
    }

    public static DeliveryDecision hold(Instant until, String reason) {
        return new DeliveryDecision(Kind.HOLD, until, reason);
    }

    public static DeliveryDecision suppress(String reason) {
        return new DeliveryDecision(Kind.SUPPRESS, null, reason);
    }
}
