package dev.retention.notifications.domain;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;

/**
 * The token in every marketing mail's unsubscribe link: the customer id and channel, signed with HMAC-SHA256, so one
 * click unsubscribes without a login and nobody can unsubscribe someone else. Tokens do not expire (an old mail's
 * link must still work); rotating the secret invalidates old links, so a previous secret stays accepted.
 */
public class UnsubscribeTokens {

    private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
    private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

    private final byte[] secret;
    private final byte[] previousSecret;

    public UnsubscribeTokens(String secret, String previousSecret) {
        if (secret == null || secret.length() < 16) {
            throw new IllegalArgumentException("the unsubscribe secret needs at least 16 characters");
        }
        this.secret = secret.getBytes(StandardCharsets.UTF_8);
        this.previousSecret = previousSecret == null || previousSecret.isEmpty() ? null
                : previousSecret.getBytes(StandardCharsets.UTF_8);
    }

    public record Subject(String customerId, String channel) {
    }

    public String issue(String customerId, String channel) {
        String payload = ENCODER.encodeToString((channel + ":" + customerId).getBytes(StandardCharsets.UTF_8));
        return payload + "." + ENCODER.encodeToString(mac(secret, payload));
    }

    public Optional<Subject> verify(String token) {
        if (token == null) {
            return Optional.empty();
        }
        int dot = token.indexOf('.');
        if (dot <= 0) {
            return Optional.empty();
        }
        String payload = token.substring(0, dot);
        byte[] signature;
        try {
            signature = DECODER.decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        boolean valid = MessageDigest.isEqual(signature, mac(secret, payload))
                || (previousSecret != null && MessageDigest.isEqual(signature, mac(previousSecret, payload)));
        if (!valid) {
            return Optional.empty();
        }
        String decoded;
        try {
            decoded = new String(DECODER.decode(payload), StandardCharsets.UTF_8);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        int colon = decoded.indexOf(':');
        return colon <= 0 ? Optional.empty()
                : Optional.of(new Subject(decoded.substring(colon + 1), decoded.substring(0, colon)));
    }

    static byte[] mac(byte[] key, String payload) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(payload.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }
}
