package dev.retention.points.api;

import dev.retention.contracts.events.Violations;
import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.points.application.ReadRewards;
import dev.retention.points.application.RedeemReward;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/**
 * The rewards catalogue for a customer and their redemptions: staff read any customer, a storefront only the customer
 * its token names (CustomerAccess). The storefront redeems for its customer; support and admin redeem for any
 * customer on their behalf (the console's Customer 360, a customer on the hotline), and the redemption keeps who.
 */
@Path("/customers/{customerId}")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "rewards")
public class RewardsResource {

    private static final String KEY_RULES = "[A-Za-z0-9._:-]{1,100}";

    private final ReadRewards reads;
    private final RedeemReward redemptions;
    private final CustomerAccess access;

    public RewardsResource(ReadRewards reads, RedeemReward redemptions, CustomerAccess access) {
        this.reads = reads;
        this.redemptions = redemptions;
        this.access = access;
    }

    @GET
    @Path("/rewards")
    @Operation(summary = "The rewards of the programme version in force, each with whether this customer can take it "
            + "now and every reason they cannot (WINDOW, TIER, LIMIT, STOCK, POINTS)")
    @APIResponse(responseCode = "200", description = "the catalogue, in the programme's order",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = RewardViews.RewardView.class)))
    @APIResponse(responseCode = "404", description = "no account for this customer")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<List<RewardViews.RewardView>> catalogue(@PathParam("customerId") String customerId) {
        access.requireCustomer(customerId);
        return reads.catalogue(customerId).map(rewards -> rewards.stream().map(RewardViews.RewardView::of).toList());
    }

    @POST
    @Path("/rewards/{rewardId}/redemptions")
    @Consumes(MediaType.APPLICATION_JSON) // a request without a body may omit it (OptionalRedemptionBody)
    @Operation(summary = "Redeem points for a reward, idempotent on the Idempotency-Key header: the points are debited "
            + "and campaign-service issues the reward (or the points come back, see reward-redemptions). A storefront "
            + "redeems for its own customer; support and admin for any customer, on their behalf: the redemption's "
            + "requestedBy keeps the token's subject")
    @APIResponse(responseCode = "201", description = "redeemed: the points are debited, the reward is being issued",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RewardViews.Redemption.class)))
    @APIResponse(responseCode = "200", description = "the same request was made before with this key: its result",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = RewardViews.Redemption.class)))
    @APIResponse(responseCode = "400", description = "invalid request")
    @APIResponse(responseCode = "403", description = "a role that redeems for no customer (FORBIDDEN), or a "
            + "storefront token for another customer (NOT_YOUR_CUSTOMER)")
    @APIResponse(responseCode = "404", description = "no account for this customer, or no such reward in the "
            + "programme version in force (REWARD_NOT_FOUND)")
    @APIResponse(responseCode = "409", description = "REWARD_REFUSED with reason STOCK (sold out) or LIMIT (the "
            + "customer's limit for the period reached); or the key was used for a different request (another "
            + "reward, currency or requester)")
    @APIResponse(responseCode = "422", description = "REWARD_REFUSED with reason POINTS, TIER or WINDOW; "
            + "reasons lists every reason")
    @APIResponse(responseCode = "429", description = "too many redemption attempts for this customer; see Retry-After")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<Response> redeem(@PathParam("customerId") String customerId, @PathParam("rewardId") String rewardId,
                                @Parameter(description = "client key; retries with the same key redeem once")
                                @HeaderParam("Idempotency-Key") @NotNull @jakarta.validation.constraints.Pattern(
                                        regexp = KEY_RULES) String idempotencyKey,
                                @Valid RewardViews.RewardRedemptionBody body) {
        access.requireCustomer(customerId);
        String currency = body == null ? null : body.currency();
        if (currency != null && !Violations.isListedCurrency(currency)) {
            throw ApiProblem.invalidField("currency", "unknown ISO 4217 currency '" + currency + "'");
        }
        return redemptions.redeem(customerId, rewardId, idempotencyKey, currency, onBehalfOf())
                .map(redeemed -> Response.status(redeemed.replayed() ? Response.Status.OK : Response.Status.CREATED)
                        .entity(RewardViews.Redemption.of(redeemed)).build());
    }

    /** Staff redeem on the customer's behalf and are named; a storefront is the customer itself (null). */
    private String onBehalfOf() {
        return access.hasRole(CustomerAccess.ADMIN) || access.hasRole(CustomerAccess.SUPPORT) ? access.actor() : null;
    }

    @GET
    @Path("/reward-redemptions")
    @Operation(summary = "The customer's reward redemptions, newest first (at most 200), with how each stands: "
            + "REQUESTED, ISSUED, or REFUNDED with the reason; requestedBy names the staff member who redeemed on the "
            + "customer's behalf (null: the customer, through the storefront)")
    @APIResponse(responseCode = "200", description = "the redemptions",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(type = SchemaType.ARRAY, implementation = RewardViews.RedemptionStatus.class)))
    @APIResponse(responseCode = "404", description = "no account for this customer")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<List<RewardViews.RedemptionStatus>> redemptions(@PathParam("customerId") String customerId) {
        access.requireCustomer(customerId);
        return reads.redemptions(customerId)
                .map(list -> list.stream().map(RewardViews.RedemptionStatus::of).toList());
    }
}
