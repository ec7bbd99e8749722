package dev.retention.eventing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** A Kafka record as it arrived, before decoding: what a dead letter must carry on unchanged. */
public record InboundRecord(String topic, int partition, long offset, String key, byte[] value,
                            List<RecordHeader> headers) {

    public static InboundRecord of(ConsumerRecord<String, byte[]> record) {
        Object value = record.value();
        if (value != null && !(value instanceof byte[])) {
            // A misconfigured channel would fail every batch with a ClassCastException: say what to set instead.
            throw new IllegalStateException("record value of " + record.topic() + " arrived as "
                    + value.getClass().getName() + ", not bytes: set value.deserializer=ByteArrayDeserializer and "
                    + "cloud-events=false on the channel");
        }
        List<RecordHeader> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            headers.add(new RecordHeader(header.key(), header.value()));
        }
        return new InboundRecord(record.topic(), record.partition(), record.offset(), record.key(), record.value(),
                List.copyOf(headers));
    }

    /** The last value of each header name, as the CloudEvents binding reads them. */
    public Map<String, byte[]> headerMap() {
        Map<String, byte[]> map = new HashMap<>();
        headers.forEach(header -> map.put(header.name(), header.value()));
        return map;
    }

    /** Where the record sits in Kafka: the dedupe key of a record that has no usable event id. */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }
}
