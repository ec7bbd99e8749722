package dev.retention.notifications.api;

import dev.retention.eventing.api.ApiProblem;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.notifications.application.RequestErasure;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.hibernate.validator.constraints.CodePointLength;

import java.time.Instant;

/**
 * The console's "erase customer" (GDPR right to be forgotten): publishes {@code customer.erased} on {@code customers},
 * the event the shop publishes, so every service erases the customer as it does for the shop's. Admins only; the
 * customer id typed again must match the path.
 */
@RolesAllowed(CustomerAccess.ADMIN)
@Path("/customers/{customerId}/erasure")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "erasure")
public class ErasureResource {

    /** What the admin sends: the customer id typed again, and why (an audit note without personal data). */
    public record ErasureBody(
            @NotBlank @CodePointLength(max = 200)
            @Schema(required = true, maxLength = 200, description = "the customer id typed again: must equal the path's")
            String confirmCustomerId,
            @NotBlank @CodePointLength(max = 500)
            @Schema(required = true, maxLength = 500, description = "why, for the record (a ticket number, say): never "
                    + "personal data such as a name or an address")
            String reason) {
    }

    /** The request as recorded: the same on every repeat. */
    public record ErasureReceipt(String customerId, String eventId, Instant requestedAt, String requestedBy) {
    }

    private final RequestErasure erasure;
    private final CustomerAccess access;

    public ErasureResource(RequestErasure erasure, CustomerAccess access) {
        this.erasure = erasure;
        this.access = access;
    }

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    @Operation(summary = "Erase the customer in every service: publishes customer.erased on customers (once per "
            + "customer; a repeat publishes nothing)")
    @APIResponse(responseCode = "202", description = "requested now: customer.erased is published, and each service "
            + "erases the customer as it consumes it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErasureReceipt.class)))
    @APIResponse(responseCode = "200", description = "requested before: the first request's record; nothing published",
            content = @Content(mediaType = MediaType.APPLICATION_JSON,
                    schema = @Schema(implementation = ErasureReceipt.class)))
    @APIResponse(responseCode = "400", description = "confirmCustomerId differs from the path's customer id, or the "
            + "reason is missing or longer than 500 characters (INVALID_REQUEST; violations name the field)")
    public Uni<Response> erase(@PathParam("customerId") String customerId, @Valid @NotNull ErasureBody body) {
        if (!customerId.equals(body.confirmCustomerId())) {
            throw ApiProblem.invalidField("confirmCustomerId", "must equal the customer id in the path");
        }
        return erasure.request(customerId, access.actor(), body.reason()).map(outcome -> Response
                .status(outcome.first() ? Response.Status.ACCEPTED : Response.Status.OK)
                .entity(new ErasureReceipt(outcome.request().customerId(), outcome.request().eventId(),
                        outcome.request().requestedAt(), outcome.request().requestedBy()))
                .build());
    }
}
