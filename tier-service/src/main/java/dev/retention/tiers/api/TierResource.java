package dev.retention.tiers.api;

import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.TierChanged;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.tiers.application.ReadTiers;
import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierStanding;
import io.smallrye.mutiny.Uni;
import jakarta.annotation.security.RolesAllowed;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.ws.rs.DefaultValue;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.NotFoundException;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.List;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tiers")
public class TierResource {

    private final ReadTiers read;
    private final CustomerAccess access;

    public TierResource(ReadTiers read, CustomerAccess access) {
        this.read = read;
        this.access = access;
    }

    public record TierView(String name, Money threshold, BigDecimal multiplier, String benefitsKey) {
    }

    public record CustomerTier(String customerId, String tier, Instant since, Money qualifyingSpend, String nextTier,
                               Money amountToNextTier, LocalDate safeUntil, LocalDate downgradeOn) {
    }

    public record HistoryEntry(String fromTier, String toTier, String direction, String reason,
                               Money qualifyingSpend, Instant effectiveAt) {
    }

    public record HistoryPage(List<HistoryEntry> entries, Long nextBefore) {
    }

    @GET
    @Path("tiers")
    @Operation(summary = "The tier definitions, lowest first")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.ANALYST, CustomerAccess.STOREFRONT})
    public List<TierView> tiers() {
        return read.tiers().stream()
                .map(t -> new TierView(t.name(), money(t.threshold()), t.multiplier(), t.benefitsKey())).toList();
    }

    @GET
    @Path("customers/{customerId}/tier")
    @Operation(summary = "Current tier, qualifying spend, what is missing to the next tier, and until when the "
            + "current tier is safe without new orders")
    @APIResponse(responseCode = "200", description = "the customer's tier")
    @APIResponse(responseCode = "404", description = "no tier for this customer yet")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<CustomerTier> tier(@PathParam("customerId") String customerId) {
        access.requireCustomer(customerId);
        return read.standing(customerId).map(standing -> standing
                .map(found -> view(customerId, found))
                .orElseThrow(() -> new NotFoundException("no tier for customer " + customerId)));
    }

    private CustomerTier view(String customerId, TierStanding standing) {
        LocalDate safeUntil = standing.safeUntil().map(TierResource::date).orElse(null);
        return new CustomerTier(customerId, standing.status().tier(), standing.status().since(),
                money(standing.qualifyingSpend()), standing.nextTier().map(Tier::name).orElse(null),
                standing.amountToNextTier().map(this::money).orElse(null),
                safeUntil, standing.downgradeAt().map(TierResource::date).orElse(null));
    }

    @GET
    @Path("customers/{customerId}/tier/history")
    @Operation(summary = "Tier changes, newest first, a page at a time")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<HistoryPage> history(@PathParam("customerId") String customerId,
                                    @QueryParam("before") @Min(1) Long before,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        access.requireCustomer(customerId);
        return read.history(customerId, before, limit).map(page -> new HistoryPage(
                page.changes().stream().map(TierResource::entry).toList(), page.nextBefore()));
    }

    private static HistoryEntry entry(TierChanged change) {
        return new HistoryEntry(change.fromTier(), change.toTier(), change.direction().name(), change.reason(),
                new Money(change.qualifyingSpend().amount().setScale(2, RoundingMode.HALF_UP),
                        change.qualifyingSpend().currency()),
                change.effectiveAt());
    }

    private Money money(BigDecimal amount) {
        return new Money(amount.setScale(2, RoundingMode.HALF_UP), read.baseCurrency());
    }

    private static LocalDate date(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
