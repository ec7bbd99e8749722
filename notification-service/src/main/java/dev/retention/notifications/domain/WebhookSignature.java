package dev.retention.notifications.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;

/**
 * The signature of a webhook delivery, in the {@code X-Retention-Signature} header:
 * {@code t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">}, one {@code v1} per active secret (during a rotation
 * the old and the new one), so a receiver can switch secrets without downtime. A receiver recomputes the HMAC over
 * the timestamp, a dot and the raw body with its secret, compares in constant time, and rejects a timestamp older
 * than its tolerance (replays). {@link #verify} is that recipe.
 */
public final class WebhookSignature {

    public static final String HEADER = "X-Retention-Signature";

    private WebhookSignature() {
    }

    public static String sign(byte[] body, Instant at, List<String> secrets) {
        long t = at.getEpochSecond();
        StringBuilder header = new StringBuilder("t=").append(t);
        for (String secret : secrets) {
            header.append(",v1=").append(HexFormat.of().formatHex(hmac(secret, t, body)));
        }
        return header.toString();
    }

    public static boolean verify(String header, byte[] body, String secret, Instant now, Duration tolerance) {
        if (header == null) {
            return false;
        }
        long t = -1;
        List<String> signatures = new java.util.ArrayList<>();
        for (String part : header.split(",")) {
            String[] pair = part.trim().split("=", 2);
            if (pair.length != 2) {
                return false;
            }
            if (pair[0].equals("t")) {
                try {
                    t = Long.parseLong(pair[1]);
                } catch (NumberFormatException e) {
                    return false;
                }
            } else if (pair[0].equals("v1")) {
                signatures.add(pair[1]);
            }
        }
        if (t < 0 || Math.abs(now.getEpochSecond() - t) > tolerance.toSeconds()) {
            return false;
        }
        byte[] expected = hmac(secret, t, body);
        for (String signature : signatures) {
            try {
                if (MessageDigest.isEqual(expected, HexFormat.of().parseHex(signature))) {
                    return true;
                }
            } catch (IllegalArgumentException notHex) {
                // try the next one
            }
        }
        return false;
    }

    private static byte[] hmac(String secret, long t, byte[] body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            mac.update((t + ".").getBytes(StandardCharsets.UTF_8));
            return mac.doFinal(body);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
