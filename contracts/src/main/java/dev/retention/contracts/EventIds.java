package dev.retention.contracts;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.UUID;

/**
 * Deterministic ids for events a service emits: the same input event and purpose give the same id on every
 * replica and every retry, so downstream deduplication absorbs a republished event (RFC 9562 UUIDv5).
 */
public final class EventIds {

    private static final UUID NAMESPACE = UUID.fromString("5b0c7a9e-3f1d-4c8e-9a61-2d7f0e4b8c15");

    private EventIds() {
    }

    /** The id of the event emitted for {@code purpose} (for example {@code points.earned}) because of {@code cause}. */
    public static String derive(String causeEventId, String purpose) {
        return nameBased(purpose + "\u0000" + causeEventId).toString();
    }

    static UUID nameBased(String name) {
        MessageDigest sha1;
        try {
            sha1 = MessageDigest.getInstance("SHA-1");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-1", e);
        }
        sha1.update(ByteBuffer.allocate(16)
                .putLong(NAMESPACE.getMostSignificantBits())
                .putLong(NAMESPACE.getLeastSignificantBits())
                .array());
        byte[] hash = sha1.digest(name.getBytes(StandardCharsets.UTF_8));
        hash[6] = (byte) ((hash[6] & 0x0f) | 0x50);
        hash[8] = (byte) ((hash[8] & 0x3f) | 0x80);
        ByteBuffer bytes = ByteBuffer.wrap(hash, 0, 16);
        return new UUID(bytes.getLong(), bytes.getLong());
    }
}
