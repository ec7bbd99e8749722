package dev.retention.contracts;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.events.TriggerType;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class TriggerTypeSchemaTest {

    /** A trigger type the schema does not list would make every trigger.fired of that type invalid on the wire. */
    @Test
    void theSchemaListsEveryTriggerTypeByItsWireName() throws IOException {
        JsonNode common;
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("schemas/common.json")) {
            common = new ObjectMapper().readTree(in);
        }
        List<String> listed = new ArrayList<>();
        common.at("/$defs/triggerType/enum").forEach(value -> listed.add(value.asText()));

        assertThat(listed).containsExactlyInAnyOrderElementsOf(
                Arrays.stream(TriggerType.values()).map(TriggerType::wireName).toList());
    }
}
