package dev.retention.contracts;

import com.fasterxml.jackson.annotation.JsonPropertyOrder;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectWriter;
import dev.retention.contracts.events.EventData;

/** Writes an {@link EventEnvelope} as a structured-mode CloudEvent, the form of every event the platform emits. */
public final class EventEncoder {

    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private static final ObjectWriter WRITER = ContractJson.mapper().writerFor(StructuredEvent.class);

    private EventEncoder() {
    }

    public static byte[] toStructuredJson(EventEnvelope<?> event) {
        try {
            return WRITER.writeValueAsBytes(new StructuredEvent(EventEnvelope.SPEC_VERSION, event.id(), event.source(),
                    event.type().wireName(), event.time().toString(), event.subject(), "application/json",
                    event.data()));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event records always serialise", e);
        }
    }

    /** The wire shape, attributes first; written in one pass without an intermediate tree. */
    @JsonPropertyOrder({"specversion", "id", "source", "type", "time", "subject", "datacontenttype", "data"})
    private record StructuredEvent(String specversion, String id, String source, String type, String time,
                                   String subject, String datacontenttype, EventData data) {
    }
}
