package dev.retention.campaigns.api;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;
import io.quarkus.smallrye.openapi.OpenApiFilter;

import java.util.List;
import java.util.Map;

/**
 * The simulation's amounts are written in the contracts' JSON, as decimal strings (never a float, like Money);
 * SmallRye would describe a {@code BigDecimal} as a number.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class SimulationAmountsInApiDescription implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Map<String, Schema> schemas = openAPI.getComponents().getSchemas();
        Schema figures = schemas.get("TriggerFigures");
        if (figures != null && figures.getProperties() != null && figures.getProperties().containsKey("faceValue")) {
            figures.getProperties().get("faceValue").setAdditionalPropertiesSchema(amount());
        }
        Schema customer = schemas.get("CustomerVouchers");
        if (customer != null && customer.getProperties() != null) {
            for (String name : List.of("faceValueInForce", "faceValueDraft")) {
                if (customer.getProperties().containsKey(name)) {
                    customer.addProperty(name, amount());
                }
            }
        }
    }

    private static Schema amount() {
        return OASFactory.createSchema().type(List.of(Schema.SchemaType.STRING)).pattern("^-?[0-9]+(\\.[0-9]+)?$")
                .description("a decimal amount as a string").examples(List.of("25.00"));
    }
}
