package dev.retention.contracts.programme;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventSchemas;
import dev.retention.contracts.events.FieldViolation;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Set;

/** Reads and checks programme documents: the schema first, then {@link ProgrammeRules}. */
public final class ProgrammeJson {

    /** The programme every deployment starts with: the values the services' configuration has by default. */
    public static final String INITIAL_RESOURCE = "/programme/initial.json";

    private ProgrammeJson() {
    }

    /** Every violation of the document, schema and semantic, by JSON path from {@code $}; empty when it is valid. */
    public static List<FieldViolation> violations(JsonNode document, Set<String> currenciesInUse) {
        List<FieldViolation> schema = EventSchemas.shared().validateProgramme(document);
        if (!schema.isEmpty()) {
            return schema;
        }
        return ProgrammeRules.violations(read(document), "$", currenciesInUse);
    }

    /** The document of JSON that {@link #violations} found valid. */
    public static ProgrammeDocument read(JsonNode document) {
        try {
            return ContractJson.mapper().treeToValue(document, ProgrammeDocument.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a programme document: " + e.getOriginalMessage(), e);
        }
    }

    public static JsonNode tree(ProgrammeDocument document) {
        return ContractJson.mapper().valueToTree(document);
    }

    public static JsonNode initialTree() {
        try (InputStream in = ProgrammeJson.class.getResourceAsStream(INITIAL_RESOURCE)) {
            return ContractJson.mapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + INITIAL_RESOURCE, e);
        }
    }

    public static ProgrammeDocument initial() {
        return read(initialTree());
    }
}
