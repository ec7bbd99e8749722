package dev.retention.tiers.application;

import dev.retention.contracts.events.TierChanged;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.tiers.domain.Tier;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierStanding;
import dev.retention.tiers.domain.TierStatus;
import dev.retention.tiers.persistence.TierStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** What the API shows of tiers: the ladder, a customer's standing now, the customer's history. Reads only, no locks. */
@ApplicationScoped
public class ReadTiers {

    private final ProgrammePolicies<TierPolicy> policies;
    private final TierStore store;
    private final Pool pool;
    private final Clock clock;

    public ReadTiers(ProgrammePolicies<TierPolicy> policies, TierStore store, Pool pool, Clock clock) {
        this.policies = policies;
        this.store = store;
        this.pool = pool;
        this.clock = clock;
    }

    /** One page of a customer's tier changes, newest first; {@code nextBefore} asks for the next page, if any. */
    public record HistoryPage(List<TierChanged> changes, Long nextBefore) {
    }

    /** The tiers in force now, lowest first. */
    public List<Tier> tiers() {
        return policies.at(clock.instant()).ladder().tiers();
    }

    /** The currency of thresholds and qualifying spend. */
    public String baseCurrency() {
        return policies.at(clock.instant()).currency();
    }

    /** The customer's standing now; empty when no event has given the customer a tier yet. */
    public Uni<Optional<TierStanding>> standing(String customerId) {
        Instant now = clock.instant();
        return store.status(pool, customerId).chain(status -> standing(customerId, status, now));
    }

    private Uni<Optional<TierStanding>> standing(String customerId, TierStatus status, Instant now) {
        if (status == null || status.tier() == null) {
            return Uni.createFrom().item(Optional.empty());
        }
        TierPolicy policy = policies.at(now);
        return store.qualifyingOrders(pool, List.of(customerId), now.minus(policy.window()))
                .map(orders -> Optional.of(policy.standing(status, orders.getOrDefault(customerId, List.of()), now)));
    }

    /** Changes numbered below {@code before} (all when null), newest first, at most {@code limit}. */
    public Uni<HistoryPage> history(String customerId, Long before, int limit) {
        // One more than asked for tells whether there is a next page.
        return store.history(pool, customerId, before == null ? Long.MAX_VALUE : before, limit + 1).map(rows -> {
            boolean more = rows.size() > limit;
            List<TierStore.RecordedChange> shown = more ? rows.subList(0, limit) : rows;
            return new HistoryPage(shown.stream().map(TierStore.RecordedChange::change).toList(),
                    more ? shown.get(shown.size() - 1).seq() : null);
        });
    }
}
