package dev.retention.notifications.domain;

import dev.retention.contracts.events.CustomerProfile;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;

/**
 * Whether a due message goes out now, in this order: a known contact (a trigger can arrive before the customer's
 * profile: wait for it a while), not erased, an address for the channel, consent for marketing on that channel,
 * outside the quiet hours (held, never dropped), under the per-customer frequency cap for marketing. Service
 * messages (a delay apology, tier news, points expiry, thanks) concern the customer's own orders and account: they
 * need no marketing consent, ignore marketing unsubscribes and the cap, but respect quiet hours.
 */
public class NotificationRules {

    private final QuietHours quietHours;
    private final int frequencyCap;
    private final Duration frequencyCapWindow;
    private final Duration contactWait;
    private final ZoneId defaultZone;
    private final int maxAttempts;
    private final Duration initialBackoff;
    private final Duration maxBackoff;

    public NotificationRules(QuietHours quietHours, int frequencyCap, Duration frequencyCapWindow,
                             Duration contactWait, ZoneId defaultZone, int maxAttempts, Duration initialBackoff,
                             Duration maxBackoff) {
        this.quietHours = quietHours;
        this.frequencyCap = frequencyCap;
        this.frequencyCapWindow = frequencyCapWindow;
        this.contactWait = contactWait;
        this.defaultZone = defaultZone;
        this.maxAttempts = maxAttempts;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
    }

    public Duration frequencyCapWindow() {
        return frequencyCapWindow;
    }

    /**
     * @param contact            null while no profile has arrived
     * @param marketingSentInWindow marketing messages sent to the customer within the cap window
     * @param hasAddress         the channel can reach the customer (an e-mail address; a configured webhook)
     */
    public DeliveryDecision decide(PendingNotification notification, Contact contact, boolean hasAddress,
                                   int marketingSentInWindow, Instant now) {
        if (contact == null) {
            Instant giveUp = notification.createdAt().plus(contactWait);
            if (now.isBefore(giveUp)) {
                Instant retry = now.plusSeconds(30);
                return DeliveryDecision.hold(retry.isBefore(giveUp) ? retry : giveUp, "CONTACT_UNKNOWN");
            }
            return DeliveryDecision.suppress("NO_CONTACT");
        }
        if (contact.erased()) {
            return DeliveryDecision.suppress("ERASED");
        }
        if (!hasAddress) {
            return DeliveryDecision.suppress("NO_ADDRESS");
        }
        boolean marketing = notification.marketing();
        if (marketing && !contact.marketingConsent(notification.channel())) {
            return DeliveryDecision.suppress(contact.unsubscribedAt() != null && notification.channel().equals("email")
                    ? "UNSUBSCRIBED" : "NO_CONSENT");
        }
        Instant quietEnd = quietHours.endOfQuietAt(now, zoneOf(contact));
        if (quietEnd != null) {
            return DeliveryDecision.hold(quietEnd, "QUIET_HOURS");
        }
        if (marketing && marketingSentInWindow >= frequencyCap) {
            return DeliveryDecision.suppress("FREQUENCY_CAP");
        }
        return DeliveryDecision.send();
    }

    public ZoneId zoneOf(Contact contact) {
        return contact == null ? defaultZone : CustomerProfile.zoneOr(contact.timeZone(), defaultZone);
    }

    /** After {@code attempts} failed attempts: when to try again, or null when it has failed for good. */
    public Instant nextAttempt(int attempts, Instant now) {
        if (attempts >= maxAttempts) {
            return null;
        }
        Duration delay = initialBackoff.multipliedBy(1L << Math.min(20, attempts - 1));
        return now.plus(delay.compareTo(maxBackoff) > 0 ? maxBackoff : delay);
    }
}
