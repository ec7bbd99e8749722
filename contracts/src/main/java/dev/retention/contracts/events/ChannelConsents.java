package dev.retention.contracts.events;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonProperty;

/** Marketing consent per channel. Absent means no consent. */
public record ChannelConsents(boolean email, boolean sms, boolean push, boolean webhook) {

    /**
     * Reads a channel the producer left out as no consent, as the schema says; without it the decoder's refusal of
     * nulls for primitives dead-lettered a registration that named only some channels.
     */
    @JsonCreator
    public static ChannelConsents fromJson(@JsonProperty("email") Boolean email, @JsonProperty("sms") Boolean sms,
                                           @JsonProperty("push") Boolean push,
                                           @JsonProperty("webhook") Boolean webhook) {
        return new ChannelConsents(Boolean.TRUE.equals(email), Boolean.TRUE.equals(sms), Boolean.TRUE.equals(push),
                Boolean.TRUE.equals(webhook));
    }

    public static ChannelConsents none() {
        return new ChannelConsents(false, false, false, false);
    }
}
