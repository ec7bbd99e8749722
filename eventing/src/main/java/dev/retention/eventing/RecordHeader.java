package dev.retention.eventing;

import java.nio.charset.StandardCharsets;

/** A Kafka header: names may repeat, values are bytes (null allowed). */
public record RecordHeader(String name, byte[] value) {

    public static RecordHeader text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }
}
