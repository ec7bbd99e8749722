package dev.retention.contracts;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class Rfc3339Test {

    private static final ObjectMapper CONTRACT_JSON = ContractJson.mapper();
    private static final ObjectMapper JAVA_TIME_MODULE_ONLY = JsonMapper.builder().addModule(new JavaTimeModule())
            .build();

    @Test
    void theUsualShapeParsesAsOffsetDateTimeParsesIt() {
        Random random = new Random(3339);
        for (int i = 0; i < 20_000; i++) {
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_000_000_000L, 253_000_000_000L),
                    random.nextInt(1_000_000_000));
            ZoneOffset offset = ZoneOffset.ofTotalSeconds((random.nextInt(-18 * 60, 18 * 60 + 1)) * 60);
            int fractionDigits = random.nextInt(10);
            String pattern = "uuuu-MM-dd'T'HH:mm:ss" + (fractionDigits == 0 ? "" : "." + "S".repeat(fractionDigits))
                    + (random.nextBoolean() && offset.getTotalSeconds() == 0 ? "'Z'" : "xxx");
            String text = DateTimeFormatter.ofPattern(pattern).format(instant.atOffset(offset));

            assertSameOutcome(text);
            assertThat(Rfc3339.parseUsualShape(text)).as(text).isNotNull();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "2026-11-22T11:15:30+01:00", "2026-11-22T11:15:30Z", "2026-11-22T11:15:30.5Z",
            "2026-11-22T11:15:30.123456789-05:30", "2024-02-29T00:00:00Z", "0000-01-01T00:00:00Z",
            "9999-12-31T23:59:59.999999999+18:00", "2026-01-01T00:00:00-18:00", "2026-01-01T00:00:00-00:00",
            // Not the usual shape: OffsetDateTime.parse decides.
            "2026-11-22t11:15:30z", "2026-11-22T11:15Z", "2026-11-22T11:15:30+01:00:30", "2026-11-22T11:15:30+0100",
            "+12026-11-22T11:15:30Z",
            // Wrong: both refuse.
            "2026-02-29T10:00:00Z", "2026-13-01T10:00:00Z", "2026-04-31T10:00:00Z", "2026-11-22T24:00:00Z",
            "2026-11-22T23:60:00Z", "2026-11-22T23:59:60Z", "2026-11-22T11:15:30+18:01", "2026-11-22T11:15:30+19:00",
            "2026-11-22T11:15:30.Z", "2026-11-22T11:15:30.1234567891Z", "2026-11-22T11:15:30", "2026-11-22T11:15:30Z ",
            " 2026-11-22T11:15:30Z", "2026-1-22T11:15:30Z", "2026-11-22T11:15:3aZ", "2026-11-22T11:15:30+01:0x",
            "2026-11-22 11:15:30Z", "yesterday", ""})
    void everyOtherInputGetsOffsetDateTimesAnswer(String text) {
        assertSameOutcome(text);
    }

    @Test
    void instantsAreWrittenAsIsoInstantWritesThem() throws Exception {
        Random random = new Random(8601);
        for (int i = 0; i < 20_000; i++) {
            int nanos = switch (i % 4) {
                case 0 -> 0;
                case 1 -> random.nextInt(1_000) * 1_000_000;
                case 2 -> random.nextInt(1_000_000) * 1_000;
                default -> random.nextInt(1_000_000_000);
            };
            // Years 0 to 20000: the formatter keeps the years outside 1000 to 9999.
            Instant instant = Instant.ofEpochSecond(random.nextLong(-62_200_000_000L, 600_000_000_000L), nanos);

            assertThat(Rfc3339.format(instant)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(instant));
            assertThat(CONTRACT_JSON.writeValueAsString(instant)).isEqualTo(JAVA_TIME_MODULE_ONLY.writer()
                    .without(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS).writeValueAsString(instant));
        }
        for (Instant edge : new Instant[] {Instant.EPOCH, Instant.parse("1000-01-01T00:00:00Z"),
                Instant.parse("0999-12-31T23:59:59.999999999Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"),
                Instant.parse("+10000-01-01T00:00:00Z"), Instant.MIN, Instant.MAX}) {
            assertThat(Rfc3339.format(edge)).isEqualTo(DateTimeFormatter.ISO_INSTANT.format(edge));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"2026-11-22T11:15:30+01:00", "2026-11-22T11:15:30.120Z", "2026-11-22T11:15:30Z",
            "2026-11-22T11:15Z", "2026-02-30T10:00:00Z", "not a time"})
    void theContractMapperReadsInstantsAsJavaTimeModuleDoes(String text) throws Exception {
        String json = CONTRACT_JSON.writeValueAsString(text);
        Object expected;
        try {
            expected = JAVA_TIME_MODULE_ONLY.readValue(json, Instant.class);
        } catch (Exception e) {
            expected = e.getClass();
        }
        Object actual;
        try {
            actual = CONTRACT_JSON.readValue(json, Instant.class);
        } catch (Exception e) {
            actual = e.getClass();
        }

        assertThat(actual).as(text).isEqualTo(expected);
    }

    @Test
    void theContractMapperStillReadsEpochNumbersAndNulls() throws Exception {
        assertThat(CONTRACT_JSON.readValue("1764000000", Instant.class))
                .isEqualTo(JAVA_TIME_MODULE_ONLY.readValue("1764000000", Instant.class));
        assertThat(CONTRACT_JSON.readValue("null", Instant.class)).isNull();
    }

    private static void assertSameOutcome(String text) {
        Object expected;
        try {
            expected = OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            expected = DateTimeParseException.class;
        }
        Object actual;
        try {
            actual = Rfc3339.parse(text);
        } catch (DateTimeParseException e) {
            actual = DateTimeParseException.class;
        }
        assertThat(actual).as(text).isEqualTo(expected);
    }
}
