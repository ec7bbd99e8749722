package dev.retention.eventing;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

/**
 * A Kafka record as it arrived, before decoding: what a dead letter must carry on unchanged. {@code timestamp} is the
 * record's Kafka timestamp (milliseconds; -1 when it has none).
 */
public record InboundRecord(String topic, int partition, long offset, long timestamp, String key, byte[] value,
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
        return new InboundRecord(record.topic(), record.partition(), record.offset(), record.timestamp(),
                record.key(), record.value(), List.copyOf(headers));
    }

    /** The last value of each header name, as the CloudEvents binding reads them. */
    public Map<String, byte[]> headerMap() {
        Map<String, byte[]> map = new HashMap<>();
        headers.forEach(header -> map.put(header.name(), header.value()));
        return map;
    }

    /** Where the record sits in Kafka, for the log. Not an identity: a recreated topic reuses its positions. */
    public String coordinates() {
        return topic + "/" + partition + "/" + offset;
    }

    /**
     * The dedupe key of a record that has no usable event id: its coordinates, its timestamp and a hash of its key,
     * value and headers. A redelivery is the same record, so it has the same key; a record written at a position a
     * recreated topic reuses differs at least in its timestamp. The topic's id would say the same, but the consumer
     * does not see it on a record: it would take an Admin call per topic, a cache that notices a recreation, and a
     * new way to fail on the consumer's path. Two records that share position, millisecond and bytes are one
     * record for this key: a single dead letter of them loses no content.
     */
    public String identity() {
        MessageDigest sha256;
        try {
            sha256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
        // Lengths first, so that no two different records feed the same bytes (-1 for an absent key or value).
        ByteBuffer lengths = ByteBuffer.allocate(12);
        byte[] keyBytes = key == null ? null : key.getBytes(StandardCharsets.UTF_8);
        sha256.update(lengths.putInt(keyBytes == null ? -1 : keyBytes.length)
                .putInt(value == null ? -1 : value.length).putInt(headers.size()).array());
        if (keyBytes != null) {
            sha256.update(keyBytes);
        }
        if (value != null) {
            sha256.update(value);
        }
        for (RecordHeader header : headers) {
            byte[] name = header.name().getBytes(StandardCharsets.UTF_8);
            sha256.update(ByteBuffer.allocate(8).putInt(name.length)
                    .putInt(header.value() == null ? -1 : header.value().length).array());
            sha256.update(name);
            if (header.value() != null) {
                sha256.update(header.value());
            }
        }
        // 128 bits: the hash only has to tell records at one position and millisecond apart.
        return coordinates() + "@" + timestamp + "#" + HexFormat.of().formatHex(sha256.digest(), 0, 16);
    }
}
