package dev.retention.campaigns.api;

import io.quarkus.smallrye.openapi.OpenApiFilter;
import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.media.Schema;

import java.util.List;

/**
 * An offer has exactly one benefit, a rule no annotation states: the description says it as the event contract says it
 * of a voucher (trigger.fired.json), a {@code oneOf} of branches that each require one of {@code value},
 * {@code percentOff} and {@code freeGiftSku}; {@link CampaignResource} enforces it.
 */
@OpenApiFilter(stages = OpenApiFilter.RunStage.BUILD)
public class OfferBenefitInApiDescription implements OASFilter {

    @Override
    public void filterOpenAPI(OpenAPI openAPI) {
        if (openAPI.getComponents() == null || openAPI.getComponents().getSchemas() == null) {
            return;
        }
        Schema offer = openAPI.getComponents().getSchemas().get("OfferRequest");
        if (offer == null) {
            return;
        }
        offer.oneOf(List.of(
                OASFactory.createSchema().required(List.of("value")),
                OASFactory.createSchema().required(List.of("percentOff")),
                OASFactory.createSchema().required(List.of("freeGiftSku"))));
    }
}
