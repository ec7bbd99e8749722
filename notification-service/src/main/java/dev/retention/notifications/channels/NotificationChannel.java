package dev.retention.notifications.channels;

import dev.retention.notifications.domain.Contact;
import io.smallrye.mutiny.Uni;

/**
 * A way to reach a customer. A new provider (SMS, push) is one class implementing this, an
 * {@code @ApplicationScoped} bean; or it listens to the webhook channel. {@link #deliver} never fails: every error
 * becomes a {@link DeliveryResult}, temporary or permanent.
 */
public interface NotificationChannel {

    /** The name used in configuration, consent and outcomes ({@code email}, {@code webhook}). */
    String name();

    /** Whether the channel can reach this contact at all (an address, a configured endpoint). */
    boolean canReach(Contact contact);

    /** The recipient as the channel addresses it, for the message. */
    String recipient(Contact contact);

    Uni<DeliveryResult> deliver(OutboundMessage message);
}
