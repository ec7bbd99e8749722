package dev.retention.notifications.api;

import dev.retention.eventing.api.CustomerAccess;
import dev.retention.notifications.application.ReadNotificationHistory;
import dev.retention.notifications.domain.HistoryEntry;
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

/** The delivery log of a customer, for support: what was sent, held, suppressed or failed, and why. */
/** Staff only. */
@RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT})
@Path("/customers/{customerId}/notifications")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "notifications")
public class NotificationResource {

    private final ReadNotificationHistory history;

    public NotificationResource(ReadNotificationHistory history) {
        this.history = history;
    }

    @GET
    @Operation(summary = "Notifications for the customer, newest first, with state, reason and attempts")
    public Uni<List<HistoryEntry>> history(@PathParam("customerId") String customerId,
                                                            @QueryParam("limit") @DefaultValue("50") @Min(1)
                                                            @Max(500) int limit) {
        return history.latest(customerId, limit);
    }
}
