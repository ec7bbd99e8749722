package dev.retention.points.api;

import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.points.application.AdjustPoints;
import dev.retention.points.application.IdempotentLedgerWrites.Outcome;
import dev.retention.points.application.ReadPoints;
import dev.retention.points.application.RedeemPoints;
import dev.retention.points.config.PointsConfig;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/** A customer's points: staff read any customer, a storefront only the customer its token names (CustomerAccess). */
@Path("/customers/{customerId}/points")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "points")
public class PointsResource {

    private static final String KEY_RULES = "[A-Za-z0-9._:-]{1,100}";

    private final ReadPoints reads;
    private final RedeemPoints redemptions;
    private final AdjustPoints adjustments;
    private final CustomerAccess access;
    private final long supportAdjustmentLimit;
    private final long maxAdjustment;

    public PointsResource(ReadPoints reads, RedeemPoints redemptions, AdjustPoints adjustments, CustomerAccess access,
                          PointsConfig config) {
        this.reads = reads;
        this.redemptions = redemptions;
        this.adjustments = adjustments;
        this.access = access;
        this.supportAdjustmentLimit = config.supportAdjustmentLimit();
        this.maxAdjustment = config.maxAdjustment();
    }

    @GET
    @Operation(summary = "Balances: available, pending (until the return window closes), debt, lifetime earned, "
            + "and points expiring soon")
    @APIResponse(responseCode = "200", description = "the balances")
    @APIResponse(responseCode = "404", description = "no account for this customer")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<PointsViews.Balance> balance(@PathParam("customerId") String customerId) {
        access.requireCustomer(customerId);
        return reads.balance(customerId).map(PointsViews.Balance::of);
    }

    @GET
    @Path("/ledger")
    @Operation(summary = "The ledger, newest entry first, a page at a time")
    @APIResponse(responseCode = "200", description = "one page; nextBefore fetches the next")
    @APIResponse(responseCode = "404", description = "no account for this customer")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<PointsViews.LedgerPage> ledger(@PathParam("customerId") String customerId,
                                              @QueryParam("before") @Min(1) Long before,
                                              @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        access.requireCustomer(customerId);
        return reads.ledger(customerId, before, limit).map(PointsViews.LedgerPage::of);
    }

    @POST
    @Path("/redemptions")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Redeem points, idempotent on the Idempotency-Key header")
    @APIResponse(responseCode = "201", description = "redeemed",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PointsViews.Movement.class)))
    @APIResponse(responseCode = "200", description = "the same request was made before with this key: its result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PointsViews.Movement.class)))
    @APIResponse(responseCode = "400", description = "invalid request")
    @APIResponse(responseCode = "404", description = "no account for this customer")
    @APIResponse(responseCode = "409", description = "the key was used for a different request")
    @APIResponse(responseCode = "422", description = "a redemption hurdle is not met (code says which)")
    @APIResponse(responseCode = "429", description = "too many redemption attempts for this customer; see Retry-After")
    @RolesAllowed(CustomerAccess.STOREFRONT)
    public Uni<Response> redeem(@PathParam("customerId") String customerId,
                                @Parameter(description = "client key; retries with the same key redeem once")
                                @HeaderParam("Idempotency-Key") @NotNull @jakarta.validation.constraints.Pattern(
                                        regexp = KEY_RULES) String idempotencyKey,
                                @Valid @NotNull PointsViews.RedemptionBody body) {
        access.requireCustomer(customerId);
        return redemptions.redeem(customerId, idempotencyKey, body.toRequest()).map(PointsResource::created);
    }

    @POST
    @Path("/adjustments")
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Correct a balance by hand, with a reason; recorded in the ledger with who did it "
            + "(the token's subject)")
    @APIResponse(responseCode = "201", description = "adjusted",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PointsViews.Movement.class)))
    @APIResponse(responseCode = "200", description = "the same request was made before with this key: its result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = PointsViews.Movement.class)))
    @APIResponse(responseCode = "400", description = "invalid request, points out of range included")
    @APIResponse(responseCode = "404", description = "no account for this customer")
    @APIResponse(responseCode = "409", description = "the key was used for a different request")
    @APIResponse(responseCode = "403", description = "support above its adjustment limit (ABOVE_SUPPORT_LIMIT)")
    @APIResponse(responseCode = "422", description = "more than is available (INSUFFICIENT_POINTS)")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT})
    public Uni<Response> adjust(@PathParam("customerId") String customerId,
                                @HeaderParam("Idempotency-Key") @NotNull @jakarta.validation.constraints.Pattern(
                                        regexp = KEY_RULES) String idempotencyKey,
                                @Valid @NotNull PointsViews.AdjustmentBody body) {
        long points = body.points();
        if (points == 0 || points > maxAdjustment || points < -maxAdjustment) {
            throw ApiProblem.invalidField("points", "must be between -" + maxAdjustment + " and " + maxAdjustment
                    + " (retention.points.max-adjustment), and not 0");
        }
        boolean aboveSupportLimit = points > supportAdjustmentLimit || points < -supportAdjustmentLimit;
        if (aboveSupportLimit && !access.hasRole(CustomerAccess.ADMIN)) {
            throw new ApiProblem(403, "Forbidden", "ABOVE_SUPPORT_LIMIT", "support may adjust by at most "
                    + supportAdjustmentLimit + " points either way; ask an admin");
        }
        // The token's subject is who made the adjustment: the ledger keeps it.
        return adjustments.adjust(customerId, idempotencyKey, points, body.reason(), access.actor())
                .map(PointsResource::created);
    }

    private static Response created(Outcome outcome) {
        return Response.status(outcome.replayed() ? Response.Status.OK : Response.Status.CREATED)
                .entity(PointsViews.Movement.of(outcome.entry())).build();
    }
}
