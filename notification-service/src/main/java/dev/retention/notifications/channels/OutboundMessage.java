package dev.retention.notifications.channels;

import java.util.Map;

/**
 * A rendered message ready for a channel. {@code deliveryId} is stable across retries, so receivers can deduplicate
 * (the e-mail Message-ID and the webhook delivery id are made from it).
 */
public record OutboundMessage(
        String deliveryId,
        String customerId,
        String triggerType,
        String locale,
        String recipient,
        String subject,
        String text,
        String html,
        String unsubscribeUrl,
        Map<String, Object> data) {
}
