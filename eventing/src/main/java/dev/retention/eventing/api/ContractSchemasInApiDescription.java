package dev.retention.eventing.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.events.Money;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * The contracts' {@link Money} in an API is described as the event contracts describe it ({@code money} of
 * {@code schemas/common.json}): an amount that is a decimal string with the contracts' pattern, never a number (as
 * SmallRye OpenAPI would describe a {@code BigDecimal}), and an ISO 4217 currency. Read from common.json itself at
 * build time, so the API description cannot drift from the contracts. Applies to the component schema named
 * {@code Money}, which is what SmallRye names the record.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class ContractSchemasInApiDescription implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null
                || !openAPI.getComponents().getSchemas().containsKey("Money")) {
            return;
        }
        JsonNode defs = common().path("$defs");
        openAPI.getComponents().addSchema("Money", OASFactory.createSchema()
                .type(List.of(Schema.SchemaType.OBJECT))
                .description("An amount with its ISO 4217 currency, as in the event contracts (common.json, money).")
                .required(strings(defs.at("/money/required")))
                .addProperty("amount", OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.STRING))
                        .pattern(defs.at("/amount/pattern").asText())
                        .description(defs.at("/amount/description").asText())
                        .examples(List.of("25.00")))
                .addProperty("currency", OASFactory.createSchema()
                        .type(List.of(Schema.SchemaType.STRING))
                        .enumeration(new ArrayList<>(strings(defs.at("/currency/enum"))))
                        .description(defs.at("/currency/description").asText())
                        .examples(List.of("EUR"))));
    }

    private static JsonNode common() {
        try (InputStream in = Money.class.getResourceAsStream("/schemas/common.json")) {
            if (in == null) {
                throw new IllegalStateException("the contracts' schemas/common.json is not on the classpath");
            }
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the contracts' schemas/common.json", e);
        }
    }

    private static List<String> strings(JsonNode array) {
        List<String> values = new ArrayList<>();
        array.forEach(value -> values.add(value.asText()));
        return values;
    }
}
