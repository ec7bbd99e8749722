package dev.retention.contracts.events;

/** Marketing consent per channel. Absent means no consent. */
public record ChannelConsents(boolean email, boolean sms, boolean push, boolean webhook) {

    public static ChannelConsents none() {
        return new ChannelConsents(false, false, false, false);
    }
}
