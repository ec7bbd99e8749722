package dev.retention.notifications.channels;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.notifications.config.NotificationsConfig;
import dev.retention.notifications.domain.Contact;
import dev.retention.notifications.domain.WebhookSignature;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Signed webhooks: an HTTP POST of the rendered message as JSON to the configured endpoint, with
 * {@code X-Retention-Delivery-Id} (stable across retries: deduplicate on it) and {@code X-Retention-Signature}
 * ({@link WebhookSignature}). 2xx is delivered; 408, 429 and 5xx are retried; any other 4xx is permanent. SMS and
 * push providers plug in here: the receiver turns the message into an SMS or a push notification.
 */
@ApplicationScoped
public class WebhookChannel implements NotificationChannel {

    public static final String DELIVERY_ID = "X-Retention-Delivery-Id";

    private final Optional<URI> endpoint;
    private final List<String> secrets;
    private final Duration timeout;
    private final HttpClient http;
    private final ObjectMapper json;
    private final Clock clock;

    public WebhookChannel(NotificationsConfig config, ObjectMapper json, Clock clock) {
        this.endpoint = config.webhook().url();
        this.secrets = config.webhook().secrets().orElse(List.of());
        this.timeout = config.webhook().timeout();
        this.http = HttpClient.newBuilder().connectTimeout(timeout).build();
        this.json = json;
        this.clock = clock;
        if (endpoint.isPresent() && secrets.isEmpty()) {
            throw new IllegalArgumentException("retention.notifications.webhook.secrets: a webhook needs a secret");
        }
    }

    @Override
    public String name() {
        return "webhook";
    }

    @Override
    public boolean canReach(Contact contact) {
        return endpoint.isPresent();
    }

    @Override
    public String recipient(Contact contact) {
        return contact.customerId();
    }

    @Override
    public Uni<DeliveryResult> deliver(OutboundMessage message) {
        if (endpoint.isEmpty()) {
            return Uni.createFrom().item(DeliveryResult.permanent("NO_ENDPOINT", "no webhook endpoint configured"));
        }
        byte[] body;
        try {
            body = json.writeValueAsBytes(payload(message));
        } catch (JsonProcessingException e) {
            return Uni.createFrom().item(DeliveryResult.permanent("UNSERIALISABLE", e.getMessage()));
        }
        HttpRequest request = HttpRequest.newBuilder(endpoint.get()).timeout(timeout)
                .header("Content-Type", "application/json")
                .header(DELIVERY_ID, message.deliveryId())
                .header("X-Retention-Trigger", message.triggerType())
                .header(WebhookSignature.HEADER, WebhookSignature.sign(body, clock.instant(), secrets))
                .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build();
        return Uni.createFrom().completionStage(() -> http.sendAsync(request, HttpResponse.BodyHandlers.discarding()))
                .map(response -> classify(response.statusCode()))
                .onFailure().recoverWithItem(failure -> DeliveryResult.temporary("HTTP_UNREACHABLE", failure.toString()));
    }

    static DeliveryResult classify(int status) {
        if (status >= 200 && status < 300) {
            return DeliveryResult.delivered();
        }
        if (status == 408 || status == 429 || status >= 500) {
            return DeliveryResult.temporary("HTTP_" + status, "HTTP " + status);
        }
        return DeliveryResult.permanent("HTTP_" + status, "HTTP " + status);
    }

    private static Map<String, Object> payload(OutboundMessage message) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("deliveryId", message.deliveryId());
        payload.put("customerId", message.customerId());
        payload.put("triggerType", message.triggerType());
        payload.put("locale", message.locale());
        payload.put("subject", message.subject());
        payload.put("text", message.text());
        payload.put("data", message.data());
        return payload;
    }
}
