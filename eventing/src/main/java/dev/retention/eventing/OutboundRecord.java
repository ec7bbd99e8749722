package dev.retention.eventing;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;

import java.util.List;

/**
 * A record to publish through the outbox. {@code messageId} is the CloudEvent id for events, so that a republished
 * record is recognised downstream.
 */
public record OutboundRecord(String messageId, String topic, String key, byte[] payload, List<RecordHeader> headers) {

    /** The headers of every structured-mode event. */
    static final List<RecordHeader> EVENT_HEADERS = List.of(RecordHeader.text("content-type", EventEncoder.CONTENT_TYPE));

    /** An event in structured mode on its type's topic, keyed by the customer id. */
    public static OutboundRecord of(EventEnvelope<?> event) {
        return new OutboundRecord(event.id(), event.type().topic(), event.subject(),
                EventEncoder.toStructuredJson(event), EVENT_HEADERS);
    }
}
