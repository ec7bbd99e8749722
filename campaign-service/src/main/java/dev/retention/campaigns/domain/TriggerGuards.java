package dev.retention.campaigns.domain;

import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;

/**
 * The global guards of marketing triggers, in this order: marketing consent, the holdout group, the per-customer
 * frequency cap across all campaigns. Service messages (delay apology, review thanks, tier news, points expiry) are
 * the customer's own business and pass unguarded.
 *
 * <p>Holdout membership is a hash of the customer id and a salt, so it is stable across replicas and restarts and
 * needs no table; changing the salt draws a new group.
 */
public final class TriggerGuards {

    private final BigDecimal holdoutShare;
    private final String holdoutSalt;
    private final int capMax;
    private final Duration capWindow;

    public TriggerGuards(BigDecimal holdoutShare, String holdoutSalt, int capMax, Duration capWindow) {
        if (holdoutShare.signum() < 0 || holdoutShare.compareTo(BigDecimal.ONE) > 0) {
            throw new IllegalArgumentException("holdout share must be between 0 and 1, was " + holdoutShare);
        }
        this.holdoutShare = holdoutShare;
        this.holdoutSalt = holdoutSalt;
        this.capMax = capMax;
        this.capWindow = capWindow;
    }

    public static boolean isMarketing(TriggerType type) {
        return type.marketing();
    }

    public Duration capWindow() {
        return capWindow;
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
