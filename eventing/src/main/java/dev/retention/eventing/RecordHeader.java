package dev.retention.eventing;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/** A Kafka header: names may repeat, values are bytes (null allowed). Equal when name and bytes are equal. */
public record RecordHeader(String name, byte[] value) {

    public static RecordHeader text(String name, String value) {
        return new RecordHeader(name, value.getBytes(StandardCharsets.UTF_8));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof RecordHeader header && Objects.equals(name, header.name)
                && Arrays.equals(value, header.value);
    }

    @Override
    public int hashCode() {
        return 31 * Objects.hashCode(name) + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return name + "=" + (value == null ? "null" : new String(value, StandardCharsets.UTF_8));
    }
}
