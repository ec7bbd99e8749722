package dev.retention.tiers.api;

import dev.retention.contracts.events.Money;
import dev.retention.eventing.api.CustomerAccess;
import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;
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
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

@Path("/")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "tiers")
public class TierResource {

    private static final String HISTORY = """
            SELECT seq, from_tier, to_tier, direction, reason, qualifying_spend, currency, effective_at
            FROM tier_history WHERE customer_id = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3""";

    private final TierPolicy policy;
    private final TierStore store;
    private final Pool pool;
    private final Clock clock;
    private final CustomerAccess access;

    public TierResource(TierPolicy policy, TierStore store, Pool pool, Clock clock, CustomerAccess access) {
        this.policy = policy;
        this.store = store;
        this.pool = pool;
        this.clock = clock;
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
        return policy.ladder().tiers().stream()
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
        Instant now = clock.instant();
        return store.status(pool, customerId).flatMap(status -> {
            if (status == null || status.tier() == null) {
                throw new NotFoundException("no tier for customer " + customerId);
            }
            return store.qualifyingOrders(pool, List.of(customerId), now.minus(policy.window()))
                    .map(orders -> view(customerId, status, orders.getOrDefault(customerId, List.of()), now));
        });
    }

    private CustomerTier view(String customerId, TierStatus status,
                              List<dev.retention.tiers.domain.QualifyingOrder> orders, Instant now) {
        BigDecimal spend = policy.qualifyingSpend(orders, now);
        Tier current = policy.ladder().named(status.tier());
        Optional<Tier> next = policy.ladder().above(current);
        LocalDate safeUntil = policy.safeUntil(status, orders, now).map(TierResource::date).orElse(null);
        return new CustomerTier(customerId, status.tier(), status.since(), money(spend),
                next.map(Tier::name).orElse(null),
                next.map(t -> money(t.threshold().subtract(spend).max(BigDecimal.ZERO))).orElse(null),
                safeUntil, status.belowSince() == null ? null : safeUntil);
    }

    @GET
    @Path("customers/{customerId}/tier/history")
    @Operation(summary = "Tier changes, newest first, a page at a time")
    @RolesAllowed({CustomerAccess.ADMIN, CustomerAccess.SUPPORT, CustomerAccess.STOREFRONT})
    public Uni<HistoryPage> history(@PathParam("customerId") String customerId,
                                    @QueryParam("before") @Min(1) Long before,
                                    @QueryParam("limit") @DefaultValue("50") @Min(1) @Max(200) int limit) {
        access.requireCustomer(customerId);
        return pool.preparedQuery(HISTORY)
                .execute(Tuple.of(customerId, before == null ? Long.MAX_VALUE : before, limit + 1))
                .map(rows -> {
                    List<Row> page = new ArrayList<>();
                    rows.forEach(page::add);
                    boolean more = page.size() > limit;
                    List<Row> shown = more ? page.subList(0, limit) : page;
                    return new HistoryPage(shown.stream().map(row -> new HistoryEntry(row.getString("from_tier"),
                            row.getString("to_tier"), row.getString("direction"), row.getString("reason"),
                            new Money(row.getBigDecimal("qualifying_spend").setScale(2, RoundingMode.HALF_UP),
                                    row.getString("currency")),
                            row.getOffsetDateTime("effective_at").toInstant())).toList(),
                            more ? shown.get(shown.size() - 1).getLong("seq") : null);
                });
    }

    private Money money(BigDecimal amount) {
        return new Money(amount.setScale(2, RoundingMode.HALF_UP), policy.currency());
    }

    private static LocalDate date(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC).toLocalDate();
    }
}
