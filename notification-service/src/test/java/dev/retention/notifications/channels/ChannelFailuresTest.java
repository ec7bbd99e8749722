package dev.retention.notifications.channels;

import io.vertx.ext.mail.SMTPException;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ChannelFailuresTest {

    @Test
    void smtpRepliesAreClassifiedAndTheAddressStaysOutOfThePublishedCode() {
        DeliveryResult rejected = EmailChannel.classify(new SMTPException("550 5.1.1 <a@example.com>: no such user",
                550, List.of("5.1.1 <a@example.com>: no such user"), false));
        assertThat(rejected.status()).isEqualTo(DeliveryResult.Status.PERMANENT_FAILURE);
        assertThat(rejected.code()).isEqualTo("SMTP_550");
        DeliveryResult busy = EmailChannel.classify(new SMTPException("451 try later", 451, List.of("try later"),
                false));
        assertThat(busy.status()).isEqualTo(DeliveryResult.Status.TEMPORARY_FAILURE);
        assertThat(EmailChannel.classify(new java.net.ConnectException("refused")).status())
                .isEqualTo(DeliveryResult.Status.TEMPORARY_FAILURE);
    }

    @Test
    void webhookStatusesAreClassified() {
        assertThat(WebhookChannel.classify(204).status()).isEqualTo(DeliveryResult.Status.DELIVERED);
        assertThat(WebhookChannel.classify(429).status()).isEqualTo(DeliveryResult.Status.TEMPORARY_FAILURE);
        assertThat(WebhookChannel.classify(503).status()).isEqualTo(DeliveryResult.Status.TEMPORARY_FAILURE);
        assertThat(WebhookChannel.classify(404).status()).isEqualTo(DeliveryResult.Status.PERMANENT_FAILURE);
        assertThat(WebhookChannel.classify(404).code()).isEqualTo("HTTP_404");
    }
}
