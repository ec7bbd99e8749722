package dev.retention.campaigns.api;

import dev.retention.campaigns.application.ReadVouchers;
import dev.retention.campaigns.application.RedeemVoucher;
import dev.retention.campaigns.application.ValidateVoucher;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.IssuedVoucher.Evaluation;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.contracts.events.Money;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.eventing.api.RequestMoney;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.hibernate.validator.constraints.CodePointLength;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** Vouchers: a customer's list, and redemption at checkout (atomic: one order gets it, never two). */
@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "vouchers")
public class VoucherResource {

    private final ReadVouchers vouchers;
    private final RedeemVoucher redemption;
    private final ValidateVoucher validation;
    private final Clock clock;
    private final CustomerAccess access;

    public VoucherResource(ReadVouchers vouchers, RedeemVoucher redemption, ValidateVoucher validation, Clock clock,
                           CustomerAccess access) {
        this.vouchers = vouchers;
        this.redemption = redemption;
        this.validation = validation;
        this.clock = clock;
        this.access = access;
    }

    public record RedemptionRequest(
            @NotBlank @CodePointLength(max = 200) @Schema(maxLength = 200) String customerId,
            @NotBlank @CodePointLength(max = 200) @Schema(maxLength = 200) String orderId,
            @NotNull @Valid Money orderValue) {
    }

    public record ValidationRequest(
            @NotBlank @CodePointLength(max = 200) @Schema(maxLength = 200) String customerId,
            @NotNull @Valid @Schema(description = "the goods' value before this voucher, without shipping and tax")
            Money orderValue,
            @Valid @Schema(description = "the shipping charged, in the order's currency (optional)")
            Money shippingTotal) {
    }

    @Schema(description = "What the voucher would give this basket now; nothing was redeemed. When valid is false, "
            + "reason names the rule (UNKNOWN_VOUCHER, ALREADY_REDEEMED, EXPIRED, CURRENCY_MISMATCH, "
            + "MINIMUM_ORDER_VALUE) and the benefits are empty.")
    public record ValidationView(
            String code, boolean valid,
            @Schema(description = "off the goods: a fixed value up to the goods' value, or the percentage rounded "
                    + "half up to the currency's minor units and capped by the voucher's maximum discount; "
                    + "absent for free shipping and free gift vouchers") Money discount,
            boolean freeShipping,
            @Schema(description = "the shipping it takes off; present when shippingTotal was sent")
            Money shippingDiscount,
            String freeGiftSku, String reason, String detail) {

        static ValidationView of(String code, Evaluation e, String currency) {
            return new ValidationView(IssuedVoucher.normalize(code), e.valid(),
                    VoucherView.money(e.discount(), currency), e.freeShipping(),
                    VoucherView.money(e.shippingDiscount(), currency), e.freeGiftSku(),
                    e.refusal() == null ? null : e.refusal().name(), e.detail());
        }
    }

    public record VoucherView(String code, String campaignId, Money value, BigDecimal percentOff, String freeGiftSku,
                              boolean freeShipping, Money minimumOrderValue, Instant issuedAt, Instant expiresAt,
                              String status, Instant redeemedAt, String redeemedOrderId) {

        static VoucherView of(IssuedVoucher v, Instant now) {
            String status = v.redeemed() ? "REDEEMED" : now.isBefore(v.expiresAt()) ? "ACTIVE" : "EXPIRED";
            return new VoucherView(v.code(), v.campaignId(), money(v.value(), v.currency()), v.percentOff(),
                    v.freeGiftSku(), v.freeShipping(), money(v.minimumOrderValue(), v.currency()), v.issuedAt(),
                    v.expiresAt(), status, v.redeemedAt(), v.redeemedOrderId());
        }

        private static Money money(BigDecimal amount, String currency) {
            return amount == null ? null : new Money(amount, currency);
        }
    }

    @GET
    @Path("customers/{customerId}/vouchers")
    @Operation(summary = "The customer's vouchers, newest first, with their status (ACTIVE, REDEEMED, EXPIRED)")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<List<VoucherView>> vouchers(@PathParam("customerId") String customerId,
                                           @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500) int limit) {
        access.requireCustomer(customerId);
        Instant now = clock.instant();
        return vouchers.of(customerId, limit).map(found -> found.stream().map(v -> VoucherView.of(v, now)).toList());
    }

    @POST
    @Path("vouchers/{code}/redemptions")
    @Operation(summary = "Redeem a voucher for an order",
            description = "Atomic: of concurrent redemptions exactly one succeeds. Repeating the redemption for the "
                    + "same order answers it again (a retried checkout); another order gets 409. A refusal (404, "
                    + "409, 422) is also published as voucher.rejected with source API, once per order, code and "
                    + "reason (a retried request publishes nothing again). More than the configured attempts per "
                    + "customer or per code within a minute answer 429 with Retry-After (not published).")
    @APIResponse(responseCode = "200", description = "redeemed for this order (now, or before by the same order)")
    @APIResponse(responseCode = "400", description = "invalid request (INVALID_REQUEST, MALFORMED_REQUEST)")
    @APIResponse(responseCode = "404", description = "no such voucher for this customer (UNKNOWN_VOUCHER)")
    @APIResponse(responseCode = "409", description = "redeemed by another order (ALREADY_REDEEMED)")
    @APIResponse(responseCode = "422", description = "the voucher's terms refuse it (EXPIRED, MINIMUM_ORDER_VALUE, "
            + "CURRENCY_MISMATCH)")
    @APIResponse(responseCode = "429", description = "too many attempts for this customer or code; see Retry-After")
    @RolesAllowed(CustomerAccess.STOREFRONT)
    public Uni<VoucherView> redeem(@PathParam("code") @Size(max = 60) String code,
                                   @NotNull @Valid RedemptionRequest request) {
        // The storefront redeems for the customer its token names, never for another.
        access.requireCustomer(request.customerId());
        RequestMoney.check("orderValue", request.orderValue());
        Instant now = clock.instant();
        return redemption.redeem(code, request.customerId(), request.orderId(), request.orderValue(), now)
                .map(v -> VoucherView.of(v, now));
    }

    @POST
    @Path("vouchers/{code}/validations")
    @Operation(summary = "What a voucher would give a basket (a dry run)",
            description = "Changes nothing: the voucher stays as it is, and the same request answers the same. A "
                    + "voucher that does not apply answers 200 with valid false and the reason. Counts against the "
                    + "same attempt limits as redemptions (per customer and per code), so codes cannot be probed "
                    + "through it; past them 429 with Retry-After.")
    @APIResponse(responseCode = "200", description = "evaluated: valid with its benefits, or not with the reason")
    @APIResponse(responseCode = "400", description = "invalid request (INVALID_REQUEST, MALFORMED_REQUEST)")
    @APIResponse(responseCode = "429", description = "too many attempts for this customer or code; see Retry-After")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<ValidationView> validate(@PathParam("code") @Size(max = 60) String code,
                                        @NotNull @Valid ValidationRequest request) {
        // The storefront validates for the customer its token names; staff for anyone.
        access.requireCustomer(request.customerId());
        RequestMoney.check("orderValue", request.orderValue());
        RequestMoney.check("shippingTotal", request.shippingTotal());
        String currency = request.orderValue().currency();
        if (request.shippingTotal() != null && !request.shippingTotal().currency().equals(currency)) {
            throw ApiProblem.invalidField("shippingTotal.currency", "must be the orderValue's currency " + currency);
        }
        return validation.validate(code, request.customerId(), request.orderValue(),
                        request.shippingTotal() == null ? null : request.shippingTotal().amount(), clock.instant())
                .map(evaluation -> ValidationView.of(code, evaluation, currency));
    }
}
