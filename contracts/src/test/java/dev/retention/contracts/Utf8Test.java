package dev.retention.contracts;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Utf8Test {

    @Test
    void acceptsEveryScalarValueRange() {
        String text = "ascii é € 𝄞 \u007F\u0080\u07FF\u0800\uFFFF" + new String(Character.toChars(0x10FFFF));

        assertThat(Utf8.firstInvalidByte(text.getBytes(StandardCharsets.UTF_8))).isEqualTo(-1);
    }

    @Test
    void rejectsMalformedSequencesAtTheirStart() {
        assertThat(Utf8.firstInvalidByte(bytes(0x41, 0xC3, 0x28))).isEqualTo(1);       // bad continuation
        assertThat(Utf8.firstInvalidByte(bytes(0xC0, 0xAF))).isZero();                 // overlong '/'
        assertThat(Utf8.firstInvalidByte(bytes(0xE0, 0x80, 0xAF))).isZero();           // overlong
        assertThat(Utf8.firstInvalidByte(bytes(0xED, 0xA0, 0x80))).isZero();           // surrogate
        assertThat(Utf8.firstInvalidByte(bytes(0xF4, 0x90, 0x80, 0x80))).isZero();     // above U+10FFFF
        assertThat(Utf8.firstInvalidByte(bytes(0x41, 0x42, 0xE2, 0x82))).isEqualTo(2); // truncated
        assertThat(Utf8.firstInvalidByte(bytes(0xFF))).isZero();
        assertThat(Utf8.firstInvalidByte(bytes(0x80))).isZero();                       // lone continuation
    }

    @Test
    void agreesWithTheJdkDecoderOnRandomBytes() {
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(12)];
            random.nextBytes(bytes);

            assertThat(Utf8.firstInvalidByte(bytes) < 0).as("%s", java.util.Arrays.toString(bytes))
                    .isEqualTo(jdkAccepts(bytes));
        }
    }

    @Test
    void findsTheBadByteWhereverItSitsInAsciiText() {
        for (int length = 1; length <= 40; length++) {
            for (int bad = 0; bad < length; bad++) {
                byte[] bytes = "x".repeat(length).getBytes(StandardCharsets.US_ASCII);
                bytes[bad] = (byte) 0xFF;

                assertThat(Utf8.firstInvalidByte(bytes)).as("length %d", length).isEqualTo(bad);
            }
        }
    }

    @Test
    void agreesWithTheJdkDecoderOnMostlyAsciiText() {
        Random random = new Random(7);
        for (int round = 0; round < 20_000; round++) {
            byte[] bytes = new byte[random.nextInt(64)];
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] = (byte) (random.nextInt(40) == 0 ? 0x80 + random.nextInt(128) : 0x20 + random.nextInt(95));
            }
            int invalid = Utf8.firstInvalidByte(bytes);

            assertThat(invalid < 0).as("%s", java.util.Arrays.toString(bytes)).isEqualTo(jdkAccepts(bytes));
            if (invalid >= 0) {
                assertThat(jdkAccepts(java.util.Arrays.copyOf(bytes, invalid))).isTrue();
            }
        }
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    private static byte[] bytes(int... values) {
        byte[] bytes = new byte[values.length];
        for (int i = 0; i < values.length; i++) {
            bytes[i] = (byte) values[i];
        }
        return bytes;
    }
}
