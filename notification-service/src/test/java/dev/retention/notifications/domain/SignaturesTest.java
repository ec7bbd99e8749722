package dev.retention.notifications.domain;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SignaturesTest {

    static final Instant NOW = Instant.parse("2026-06-10T10:00:00Z");

    @Test
    void unsubscribeTokensNameTheCustomerAndCannotBeForgedOrBent() {
        UnsubscribeTokens tokens = new UnsubscribeTokens("a-secret-of-enough-length", null);
        String token = tokens.issue("c-42", "email");

        assertThat(tokens.verify(token)).hasValue(new UnsubscribeTokens.Subject("c-42", "email"));
        String otherPayload = java.util.Base64.getUrlEncoder().withoutPadding()
                .encodeToString("email:c-43".getBytes(StandardCharsets.UTF_8));
        assertThat(tokens.verify(otherPayload + token.substring(token.indexOf('.')))).isEmpty();
        assertThat(new UnsubscribeTokens("another-secret-entirely", null).verify(token)).isEmpty();
        assertThat(tokens.verify("garbage")).isEmpty();
        assertThat(tokens.verify(null)).isEmpty();
        assertThatThrownBy(() -> new UnsubscribeTokens("short", null)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aRotatedUnsubscribeSecretStillHonoursOldLinks() {
        String old = new UnsubscribeTokens("the-old-secret-value", null).issue("c-1", "email");
        UnsubscribeTokens rotated = new UnsubscribeTokens("the-new-secret-value", "the-old-secret-value");
        assertThat(rotated.verify(old)).isPresent();
    }

    @Test
    void webhookSignaturesVerifyWithEitherSecretDuringARotationAndRejectTamperingAndReplays() {
        byte[] body = "{\"deliveryId\":\"d-1\"}".getBytes(StandardCharsets.UTF_8);
        String header = WebhookSignature.sign(body, NOW, List.of("new-secret", "old-secret"));

        assertThat(header).startsWith("t=" + NOW.getEpochSecond() + ",v1=");
        assertThat(WebhookSignature.verify(header, body, "new-secret", NOW, Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify(header, body, "old-secret", NOW, Duration.ofMinutes(5))).isTrue();
        assertThat(WebhookSignature.verify(header, "{\"deliveryId\":\"d-2\"}".getBytes(StandardCharsets.UTF_8),
                "new-secret", NOW, Duration.ofMinutes(5))).isFalse();
        assertThat(WebhookSignature.verify(header, body, "new-secret", NOW.plus(Duration.ofMinutes(6)),
                Duration.ofMinutes(5))).as("replayed later").isFalse();
        assertThat(WebhookSignature.verify("v1=00", body, "new-secret", NOW, Duration.ofMinutes(5))).isFalse();
    }
}
