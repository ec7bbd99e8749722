package dev.retention.points.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.retention.contracts.events.Money;
import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A reward redemption's {@code currency} is described with the contracts' list of ISO 4217 codes (common.json,
 * {@code currency}), which the resource enforces: three capital letters alone would admit codes it refuses.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class RewardCurrencyInApiDescription implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Schema body = openAPI.getComponents().getSchemas().get("RewardRedemptionBody");
        if (body == null || body.getProperties() == null || body.getProperties().get("currency") == null) {
            return;
        }
        JsonNode currency = common().at("/$defs/currency");
        List<Object> codes = new ArrayList<>();
        currency.path("enum").forEach(code -> codes.add(code.asText()));
        body.getProperties().get("currency").enumeration(codes)
                .description("The currency the customer shops in, for a voucher with a value per currency; absent: "
                        + "the programme's reporting currency. " + currency.path("description").asText());
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
}
