package dev.retention.notifications.domain;

import dev.retention.contracts.events.CustomerProfile;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.Objects;

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

    private NotificationRules(Builder builder) {
        this.quietHours = Objects.requireNonNull(builder.quietHours, "quietHours");
        this.frequencyCap = builder.frequencyCap;
        this.frequencyCapWindow = Objects.requireNonNull(builder.frequencyCapWindow, "frequencyCapWindow");
        this.contactWait = Objects.requireNonNull(builder.contactWait, "contactWait");
        this.defaultZone = Objects.requireNonNull(builder.defaultZone, "defaultZone");
        this.maxAttempts = builder.maxAttempts;
        this.initialBackoff = Objects.requireNonNull(builder.initialBackoff, "initialBackoff");
        this.maxBackoff = Objects.requireNonNull(builder.maxBackoff, "maxBackoff");
    }

    /** Rules to fill in by name; every value must be set. */
    public static Builder builder() {
        return new Builder();
    }

    public static final class Builder {
        private QuietHours quietHours;
        private int frequencyCap;
        private Duration frequencyCapWindow;
        private Duration contactWait;
        private ZoneId defaultZone;
        private int maxAttempts;
        private Duration initialBackoff;
        private Duration maxBackoff;

        private Builder() {
        }

        public Builder quietHours(QuietHours quietHours) {
            this.quietHours = quietHours;
            return this;
        }

        /** At most {@code max} marketing messages per customer within {@code window}. */
        public Builder frequencyCap(int max, Duration window) {
            this.frequencyCap = max;
            this.frequencyCapWindow = window;
            return this;
        }

        /** How long a trigger waits for the customer's profile before it is suppressed. */
        public Builder contactWait(Duration contactWait) {
            this.contactWait = contactWait;
            return this;
        }

        /** The zone of a customer whose profile names none (or one this JVM does not know). */
        public Builder defaultZone(ZoneId defaultZone) {
            this.defaultZone = defaultZone;
            return this;
        }

        public Builder maxAttempts(int maxAttempts) {
            this.maxAttempts = maxAttempts;
            return this;
        }

        /** The wait after the first failed attempt, doubled after each further one up to {@code max}. */
        public Builder backoff(Duration initial, Duration max) {
            this.initialBackoff = initial;
            this.maxBackoff = max;
            return this;
        }

        public NotificationRules build() {
            return new NotificationRules(this);
        }
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
