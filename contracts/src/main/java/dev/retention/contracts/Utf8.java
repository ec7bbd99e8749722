package dev.retention.contracts;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;

/** Checks UTF-8 (RFC 3629: no overlong forms, no surrogates, nothing above U+10FFFF) without decoding to a String. */
final class Utf8 {

    /**
     * Eight bytes at a time: events are nearly all ASCII, and a byte-at-a-time loop took 8 % of points-service's
     * Java samples.
     */
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.LITTLE_ENDIAN);
    private static final long HIGH_BITS = 0x8080808080808080L;

    private Utf8() {
    }

    /** The index of the first byte that is not valid UTF-8, or -1 when all of it is. */
    static int firstInvalidByte(byte[] bytes) {
        int i = 0;
        int n = bytes.length;
        while (i < n) {
            if (i + Long.BYTES <= n && ((long) LONGS.get(bytes, i) & HIGH_BITS) == 0) {
                i += Long.BYTES;
                continue;
            }
            int b = bytes[i] & 0xFF;
            if (b < 0x80) {
                i++;
                continue;
            }
            int length;
            int min = 0x80;
            int max = 0xBF;
            if (b >= 0xC2 && b <= 0xDF) {
                length = 2;
            } else if (b >= 0xE0 && b <= 0xEF) {
                length = 3;
                if (b == 0xE0) {
                    min = 0xA0; // overlong
                } else if (b == 0xED) {
                    max = 0x9F; // UTF-16 surrogates
                }
            } else if (b >= 0xF0 && b <= 0xF4) {
                length = 4;
                if (b == 0xF0) {
                    min = 0x90; // overlong
                } else if (b == 0xF4) {
                    max = 0x8F; // above U+10FFFF
                }
            } else {
                return i;
            }
            if (i + length > n) {
                return i;
            }
            int second = bytes[i + 1] & 0xFF;
            if (second < min || second > max) {
                return i;
            }
            for (int k = 2; k < length; k++) {
                int continuation = bytes[i + k] & 0xFF;
                if (continuation < 0x80 || continuation > 0xBF) {
                    return i;
                }
            }
            i += length;
        }
        return -1;
    }
}
