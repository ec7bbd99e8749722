package dev.retention.contracts.feedback;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.time.Instant;
import java.util.Base64;

/**
 * The token of a feedback mail's score links: the feedback request's trigger id and an expiry, signed with
 * HMAC-SHA256. notification-service issues it when it renders the mail and campaign-service verifies it when a link
 * is clicked, so the secret is shared configuration ({@code retention.feedback.secret}). The token is the link's
 * only authorization: no login, and no personal data in the URL (a trigger id is an opaque id that names the order
 * only inside campaign-service). The score travels beside the token: the customer may pick any score, but never for
 * another request's order. Rotating the secret would break every link still out there, so a previous secret stays
 * accepted until the links it signed have expired.
 */
public final class FeedbackLinkTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();
    /** Longer than any trigger id the platform makes; bounds the work an attacker's token can cause. */
    private static final int MAX_TOKEN_LENGTH = 600;

    private final byte[] secret;
    private final byte[] previousSecret;

    public FeedbackLinkTokens(String secret, String previousSecret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the feedback link secret needs at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.previousSecret = previousSecret == null || previousSecret.isEmpty() ? null
                : previousSecret.getBytes(StandardCharsets.UTF_8);
    }

    /** What a token says, once checked. */
    public sealed interface Verdict permits Valid, Expired, Invalid {
    }

    /** Signed by a current or previous secret and not expired. */
    public record Valid(String triggerId, Instant expiresAt) implements Verdict {
    }

    /** Signed, but its time has passed. */
    public record Expired(String triggerId, Instant expiresAt) implements Verdict {
    }

    /** Not a token of ours: malformed, tampered with or signed by an unknown secret. */
    public record Invalid() implements Verdict {
    }

    /** The token for the links of the feedback request {@code triggerId}, valid until {@code expiresAt}. */
    public String issue(String triggerId, Instant expiresAt) {
        if (triggerId == null || triggerId.isEmpty()) {
            throw new IllegalArgumentException("a feedback link needs the trigger id");
        }
        String payload = ENCODER.encodeToString((expiresAt.getEpochSecond() + ":" + triggerId)
                .getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENCODER.encodeToString(mac(secret, payload));
    }

    public Verdict verify(String token, Instant now) {
        if (token == null || token.length() > MAX_TOKEN_LENGTH) {
            return new Invalid();
        }
        int dot = token.indexOf('.');
        if (dot <= 0 || dot != token.lastIndexOf('.')) {
            return new Invalid();
        }
        String payload = token.substring(0, dot);
        String decoded;
        byte[] signature;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
            decoded = new String(DECODER.decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return new Invalid();
        }
        boolean signed = MessageDigest.isEqual(signature, mac(secret, payload))
                || (previousSecret != null && MessageDigest.isEqual(signature, mac(previousSecret, payload)));
        int colon = decoded.indexOf(':');
        if (!signed || colon <= 0 || colon == decoded.length() - 1) {
            return new Invalid();
        }
        Instant expiresAt;
        try {
            expiresAt = Instant.ofEpochSecond(Long.parseLong(decoded.substring(0, colon)));
        } catch (RuntimeException e) {
            return new Invalid();
        }
        String triggerId = decoded.substring(colon + 1);
        return now.isBefore(expiresAt) ? new Valid(triggerId, expiresAt) : new Expired(triggerId, expiresAt);
    }

    private static byte[] mac(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
