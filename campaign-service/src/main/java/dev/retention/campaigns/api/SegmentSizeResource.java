package dev.retention.campaigns.api;

import dev.retention.campaigns.api.CampaignResource.SegmentRequest;
import dev.retention.campaigns.application.SizeSegment;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.Segment;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.eventing.api.RequestMoney;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.time.Instant;

/**
 * A segment offer's audience before it is sent. A resource of its own, not under /campaigns: "segment-size" is a
 * valid campaign id, which GET /campaigns/{campaignId} must keep reading.
 */
@Path("/segment-sizes")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
@Tag(name = "campaigns")
public class SegmentSizeResource {

    private final SizeSegment sizing;
    private final String baseCurrency;

    public SegmentSizeResource(SizeSegment sizing, CampaignsConfig config) {
        this.sizing = sizing;
        this.baseCurrency = config.currency();
    }

    /** The segment as a campaign gives it, under the same name, so that a violation names the same field. */
    public record SegmentSizeRequest(@NotNull @Valid SegmentRequest segment) {
    }

    /**
     * @param customers      whom a campaign started at {@code at} would offer a voucher to
     * @param inSegment      the segment's members
     * @param withoutConsent members without marketing consent (erased customers among them)
     * @param heldOut        consenting members in the holdout group
     * @param capped         consenting members outside the holdout group at the frequency cap
     */
    public record SegmentSizeView(long customers, Instant at, long inSegment, long withoutConsent, long heldOut,
                                  long capped) {
    }

    @POST
    @Operation(summary = "How many customers a segment offer started now would reach",
            description = "Counts the segment's members by the rule the campaign job selects them with, less those "
                    + "the guards of the programme version in force now would withhold the offer from: no marketing "
                    + "consent (erased customers have none), the holdout group, the frequency cap. customers = "
                    + "inSegment - withoutConsent - heldOut - capped. A campaign's maxVouchers and the monthly "
                    + "voucher budget may stop it earlier; they depend on the offer. Reads only.")
    @APIResponse(responseCode = "200", description = "the size at `at`", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = SegmentSizeView.class)))
    @APIResponse(responseCode = "400", description = "invalid segment (INVALID_REQUEST, MALFORMED_REQUEST), "
            + "the field named as in a campaign, e.g. segment.minLifetimeSpend.currency")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.MARKETER})
    public Uni<SegmentSizeView> size(@NotNull @Valid SegmentSizeRequest request) {
        SegmentRequest s = request.segment();
        RequestMoney.check("segment.minLifetimeSpend", s.minLifetimeSpend());
        CampaignResource.checkMoney("segment.minLifetimeSpend", s.minLifetimeSpend());
        Segment segment = CampaignResource.segment(s, baseCurrency);
        return sizing.size(segment).map(counted -> new SegmentSizeView(counted.size().reached(), counted.at(),
                counted.size().inSegment(), counted.size().withoutConsent(), counted.size().heldOut(),
                counted.size().capped()));
    }
}
