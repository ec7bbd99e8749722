package dev.retention.contracts;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Writes an {@link EventEnvelope} as a structured-mode CloudEvent, the form of every event the platform emits. */
public final class EventEncoder {

    public static final String CONTENT_TYPE = "application/cloudevents+json; charset=UTF-8";

    private static final ObjectMapper MAPPER = ContractJson.mapper();

    private EventEncoder() {
    }

    public static byte[] toStructuredJson(EventEnvelope<?> event) {
        ObjectNode node = MAPPER.createObjectNode()
                .put("specversion", EventEnvelope.SPEC_VERSION)
                .put("id", event.id())
                .put("source", event.source())
                .put("type", event.type().wireName())
                .put("time", event.time().toString())
                .put("subject", event.subject())
                .put("datacontenttype", "application/json");
        node.set("data", MAPPER.valueToTree(event.data()));
        try {
            return MAPPER.writeValueAsBytes(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("event records always serialise", e);
        }
    }
}
