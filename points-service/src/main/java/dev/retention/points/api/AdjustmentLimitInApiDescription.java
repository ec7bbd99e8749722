package dev.retention.points.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.math.BigDecimal;

/**
 * The bounds of a manual adjustment come from configuration ({@code retention.points.max-adjustment}), which an
 * annotation cannot read: this filter writes them into {@code AdjustmentBody.points} of the API description when the
 * service starts, so the description says what {@link PointsResource#adjust} enforces.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.RUNTIME_STARTUP)
public class AdjustmentLimitInApiDescription implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Schema body = openAPI.getComponents().getSchemas().get("AdjustmentBody");
        if (body == null || body.getProperties() == null || body.getProperties().get("points") == null) {
            return;
        }
        long max = ConfigProvider.getConfig().getOptionalValue("retention.points.max-adjustment", Long.class)
                .orElse(10_000L);
        body.getProperties().get("points")
                .minimum(BigDecimal.valueOf(-max))
                .maximum(BigDecimal.valueOf(max))
                .not(OASFactory.createSchema().enumeration(java.util.List.of(0)))
                .description("Points to add (positive) or take (negative), at most " + max
                        + " either way (retention.points.max-adjustment) and not 0; a support token at most "
                        + "retention.points.support-adjustment-limit either way.");
    }
}
