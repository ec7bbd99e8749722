package dev.retention.campaigns.api;

import dev.retention.campaigns.application.CancelSegmentCampaign;
import dev.retention.campaigns.application.ReadSegmentCampaigns;
import dev.retention.campaigns.application.ScheduleSegmentCampaign;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.Segment;
import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.domain.VoucherOffer;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.Violations;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.eventing.api.RequestMoney;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.DecimalMax;
import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.hibernate.validator.constraints.CodePointLength;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Currency;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Scheduled segment offers: create, read, list, cancel. The campaign job offers them within their window. */
@Path("/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "campaigns")
public class CampaignResource {

    private final ScheduleSegmentCampaign scheduling;
    private final ReadSegmentCampaigns campaigns;
    private final CancelSegmentCampaign cancellation;
    /** Every programme version has this reporting currency: CampaignBeans refuses one that has another. */
    private final String baseCurrency;

    public CampaignResource(ScheduleSegmentCampaign scheduling, ReadSegmentCampaigns campaigns,
                            CancelSegmentCampaign cancellation, CampaignsConfig config) {
        this.scheduling = scheduling;
        this.campaigns = campaigns;
        this.cancellation = cancellation;
        this.baseCurrency = config.currency();
    }

    public record SegmentRequest(
            List<@NotBlank @CodePointLength(max = 50) String> tiers,
            @Min(0) @Max(3650) Integer minDaysInactive,
            @Valid Money minLifetimeSpend) {
    }

    /** Absent members are left out of answers too: the description's one-benefit rule counts members present. */
    @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
    public record OfferRequest(
            @Valid Money value,
            @DecimalMin(value = "0", inclusive = false) @DecimalMax("100") BigDecimal percentOff,
            @CodePointLength(min = 1, max = 100) @Schema(minLength = 1, maxLength = 100) String freeGiftSku,
            boolean freeShipping,
            @Valid Money minimumOrderValue,
            @NotNull @Schema(type = SchemaType.STRING, pattern = "^P([1-9][0-9]?|[12][0-9]{2}|3[0-5][0-9]|36[0-6])D$"
                    + "|^PT(2[4-9]|[3-9][0-9]|[1-9][0-9]{2}|[1-7][0-9]{3}|8[0-6][0-9]{2}|87[0-7][0-9]|878[0-4])H$", examples = "P14D",
                    description = "ISO 8601 duration in days or hours, from P1D to P366D") Duration validFor) {
    }

    public record CampaignRequest(
            @Pattern(regexp = "^[a-z0-9][a-z0-9-]{2,63}$") String campaignId,
            @NotBlank @CodePointLength(max = 200) @Schema(maxLength = 200) String name,
            @NotNull Instant startsAt,
            @NotNull Instant endsAt,
            @NotNull @Valid SegmentRequest segment,
            @NotNull @Valid OfferRequest offer,
            @Min(1) @Max(10_000_000) Integer maxVouchers) {
    }

    public record CampaignView(String campaignId, String name, Instant startsAt, Instant endsAt, SegmentRequest segment,
                               OfferRequest offer, Integer maxVouchers, int issued, String status) {

        static CampaignView of(SegmentCampaign c, String baseCurrency) {
            Segment s = c.segment();
            VoucherOffer o = c.offer();
            String currency = c.currency(baseCurrency);
            return new CampaignView(c.campaignId(), c.name(), c.startsAt(), c.endsAt(),
                    new SegmentRequest(s.tiers() == null ? null : s.tiers().stream().sorted().toList(),
                            s.minDaysInactive(),
                            s.minLifetimeSpend() == null ? null : new Money(s.minLifetimeSpend(), baseCurrency)),
                    new OfferRequest(money(o.valueByCurrency()), o.percentOff(), o.freeGiftSku(), o.freeShipping(),
                            money(o.minimumOrderValue()), o.validFor()),
                    c.maxVouchers(), c.issued(), c.status().name());
        }

        private static Money money(Map<String, BigDecimal> amounts) {
            return amounts.isEmpty() ? null : amounts.entrySet().stream().findFirst()
                    .map(e -> new Money(e.getValue(), e.getKey())).orElseThrow();
        }
    }

    @POST
    @Operation(summary = "Create a segment offer",
            description = "Every customer of the segment gets the offer once while the campaign runs, subject to "
                    + "consent, holdout and frequency cap, until maxVouchers are issued.")
    @APIResponse(responseCode = "201", description = "created; Location names it", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = CampaignView.class)))
    @APIResponse(responseCode = "400", description = "invalid campaign (INVALID_REQUEST, MALFORMED_REQUEST)")
    @APIResponse(responseCode = "409", description = "a campaign with this campaignId exists (CAMPAIGN_EXISTS)")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.MARKETER})
    public Uni<Response> create(@NotNull @Valid CampaignRequest request) {
        SegmentCampaign campaign = toCampaign(request);
        return scheduling.schedule(campaign).map(created -> {
            if (!created) {
                throw ApiProblem.conflict("CAMPAIGN_EXISTS", "campaign " + campaign.campaignId() + " exists");
            }
            return Response.status(201).entity(CampaignView.of(campaign, baseCurrency))
                    .header("Location", "/campaigns/" + campaign.campaignId()).build();
        });
    }

    @GET
    @Path("{campaignId}")
    @Operation(summary = "A campaign with what it issued so far")
    @APIResponse(responseCode = "200", description = "the campaign")
    @APIResponse(responseCode = "404", description = "no such campaign (CAMPAIGN_NOT_FOUND)")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.MARKETER, CustomerAccess.SUPPORT, CustomerAccess.ANALYST})
    public Uni<CampaignView> get(@PathParam("campaignId") String campaignId) {
        return campaigns.get(campaignId).map(found -> view(campaignId, found));
    }

    @GET
    @Operation(summary = "Campaigns, latest start first")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.MARKETER, CustomerAccess.SUPPORT, CustomerAccess.ANALYST})
    public Uni<List<CampaignView>> list(@QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        return campaigns.list(limit).map(all -> all.stream()
                .map(c -> CampaignView.of(c, baseCurrency)).toList());
    }

    @POST
    @Path("{campaignId}/cancellation")
    @Operation(summary = "Stop an active campaign; vouchers already issued stay valid")
    @APIResponse(responseCode = "200", description = "cancelled (also when it was cancelled before)")
    @APIResponse(responseCode = "404", description = "no such campaign (CAMPAIGN_NOT_FOUND)")
    @APIResponse(responseCode = "409", description = "the campaign is no longer active (CAMPAIGN_NOT_ACTIVE)")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.MARKETER})
    public Uni<CampaignView> cancel(@PathParam("campaignId") String campaignId) {
        return cancellation.cancel(campaignId).map(outcome -> {
            CampaignView view = view(campaignId, outcome.campaign());
            if (!outcome.cancelledNow() && !view.status().equals("CANCELLED")) {
                throw ApiProblem.conflict("CAMPAIGN_NOT_ACTIVE", "campaign " + campaignId + " is " + view.status());
            }
            return view;
        });
    }

    private CampaignView view(String campaignId, Optional<SegmentCampaign> found) {
        return CampaignView.of(found.orElseThrow(
                () -> ApiProblem.notFound("CAMPAIGN_NOT_FOUND", "no campaign " + campaignId)), baseCurrency);
    }

    private SegmentCampaign toCampaign(CampaignRequest r) {
        OfferRequest o = r.offer();
        // A field's own rules first, then the rules between fields: a request with one bad field is told that field.
        // What the description says of every money before this service's own limits on any of them.
        RequestMoney.check("offer.value", o.value());
        RequestMoney.check("offer.minimumOrderValue", o.minimumOrderValue());
        RequestMoney.check("segment.minLifetimeSpend", r.segment().minLifetimeSpend());
        checkMoney("offer.value", o.value());
        checkMoney("offer.minimumOrderValue", o.minimumOrderValue());
        checkMoney("segment.minLifetimeSpend", r.segment().minLifetimeSpend());
        if (o.value() != null && o.value().amount().signum() <= 0) {
            throw ApiProblem.invalidField("offer.value.amount", "must be above 0");
        }
        if (o.validFor().compareTo(Duration.ofDays(1)) < 0 || o.validFor().compareTo(Duration.ofDays(366)) > 0) {
            throw ApiProblem.invalidField("offer.validFor", "must be between P1D and P366D");
        }
        if (!r.endsAt().isAfter(r.startsAt())) {
            throw ApiProblem.invalidField("endsAt", "must be after startsAt");
        }
        int kinds = (o.value() == null ? 0 : 1) + (o.percentOff() == null ? 0 : 1) + (o.freeGiftSku() == null ? 0 : 1);
        if (kinds != 1) {
            throw ApiProblem.invalidField("offer", "exactly one of value, percentOff and freeGiftSku");
        }
        if (o.value() != null && o.minimumOrderValue() != null
                && !o.value().currency().equals(o.minimumOrderValue().currency())) {
            throw ApiProblem.invalidField("offer.minimumOrderValue.currency",
                    "must be the currency of offer.value");
        }
        Segment segment = segment(r.segment(), baseCurrency);
        try {
            return new SegmentCampaign(r.campaignId() == null ? "cmp-" + UUID.randomUUID() : r.campaignId(),
                    r.name(), r.startsAt(), r.endsAt(), segment,
                    new VoucherOffer(amounts(o.value()), o.percentOff(), o.freeGiftSku(), o.freeShipping(),
                            amounts(o.minimumOrderValue()), o.validFor()),
                    r.maxVouchers(), 0, SegmentCampaign.Status.ACTIVE, "");
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    /**
     * The segment of a request whose own fields were checked (bean validation, {@link RequestMoney#check} and
     * {@link #checkMoney} of {@code segment.minLifetimeSpend}): the rules between fields, then the domain's.
     */
    static Segment segment(SegmentRequest s, String baseCurrency) {
        if (s.minLifetimeSpend() != null && !s.minLifetimeSpend().currency().equals(baseCurrency)) {
            throw ApiProblem.invalidField("segment.minLifetimeSpend.currency", "must be " + baseCurrency
                    + ", the currency lifetime spend is kept in");
        }
        try {
            return new Segment(s.tiers() == null ? null : Set.copyOf(s.tiers()), s.minDaysInactive(),
                    s.minLifetimeSpend() == null ? null : s.minLifetimeSpend().amount());
        } catch (IllegalArgumentException e) {
            throw ApiProblem.badRequest(e.getMessage());
        }
    }

    private static Map<String, BigDecimal> amounts(Money money) {
        return money == null ? Map.of() : Map.of(money.currency(), money.amount());
    }

    static void checkMoney(String field, Money money) {
        if (money == null) {
            return;
        }
        // A listed currency this Java has no data for yet is taken with up to 4 decimals, as the contracts allow.
        int decimals = Violations.isKnownCurrency(money.currency())
                ? Currency.getInstance(money.currency()).getDefaultFractionDigits() : 4;
        decimals = decimals < 0 ? 4 : decimals; // no minor unit (gold, SDRs): the contracts' four
        // Sign and the contracts' shape were checked by RequestMoney; these are this service's own limits.
        if (money.amount().stripTrailingZeros().scale() > decimals
                || money.amount().compareTo(new BigDecimal("1000000")) > 0) {
            throw ApiProblem.invalidField(field + ".amount", money.amount().toPlainString() + " " + money.currency()
                    + " is not a valid amount (0 to 1,000,000, at most " + decimals + " decimals)");
        }
    }
}
