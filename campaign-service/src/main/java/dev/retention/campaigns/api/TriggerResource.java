package dev.retention.campaigns.api;

import dev.retention.campaigns.application.ReadTriggerHistory;
import dev.retention.campaigns.domain.TriggerRecord;
import dev.retention.eventing.api.CustomerAccess;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** The trigger history of a customer: what fired, and what the guards withheld and why. */
/** Staff only: the trigger log tells why a customer got (or did not get) a message. */
@RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT})
@Path("/customers/{customerId}/triggers")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "triggers")
public class TriggerResource {

    private final ReadTriggerHistory history;

    public TriggerResource(ReadTriggerHistory history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "Triggers for the customer, newest first, with their outcome "
            + "(FIRED, HELD_OUT, CAPPED, NO_CONSENT, OVER_BUDGET, MONTHLY_BUDGET_SPENT)")
    public Uni<List<TriggerRecord>> triggers(@PathParam("customerId") String customerId,
                                                         @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(500)
                                                         int limit) {
        return history.of(customerId, limit);
    }
}
