package dev.retention.points.application;

import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.points.domain.RewardCatalogue;
import dev.retention.points.domain.RewardCatalogues;
import dev.retention.points.domain.RewardEligibility;
import dev.retention.points.domain.RewardEligibility.Verdict;
import dev.retention.points.domain.RewardRedemption;
import dev.retention.points.persistence.PointsStore;
import dev.retention.points.persistence.RewardStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What a customer can take from the catalogue in force now, and for each reward they cannot, why; and their
 * redemptions. Plain reads without locks: a redemption judges again under the account's lock.
 */
@ApplicationScoped
public class ReadRewards {

    /** A customer's redemptions shown at most. */
    static final int REDEMPTIONS_SHOWN = 200;

    private final Pool pool;
    private final PointsStore points;
    private final RewardStore rewards;
    private final RewardCatalogues catalogues;
    private final Clock clock;

    public ReadRewards(Pool pool, PointsStore points, RewardStore rewards, RewardCatalogues catalogues, Clock clock) {
        this.pool = pool;
        this.points = points;
        this.rewards = rewards;
        this.catalogues = catalogues;
        this.clock = clock;
    }

    /** Each reward of the version in force, in the catalogue's order; an unknown customer is a 404. */
    public Uni<List<RewardStatus>> catalogue(String customerId) {
        Instant now = clock.instant();
        RewardCatalogue catalogue = catalogues.at(now);
        Map<String, Instant> since = new HashMap<>();
        catalogue.rewards().forEach(reward -> since.put(reward.id(),
                RewardEligibility.periodStart(reward, now, catalogue.zone())));
        return points.account(pool, customerId)
                .invoke(account -> {
                    if (account == null) {
                        throw new RequestProblems.CustomerNotFound(customerId);
                    }
                })
                .chain(account -> rewards.tierAt(pool, customerId, now)
                        .chain(tier -> rewards.redeemedSince(pool, customerId, since)
                                .chain(redeemed -> rewards.taken(pool, since.keySet())
                                        .map(taken -> catalogue.rewards().stream().map(reward -> {
                                            Long stockLeft = RewardEligibility.stockLeft(reward.stock(),
                                                    taken.getOrDefault(reward.id(), 0L));
                                            Verdict verdict = RewardEligibility.judge(reward,
                                                    new RewardEligibility.Customer(account.available(), tier,
                                                            redeemed.getOrDefault(reward.id(), 0L), stockLeft),
                                                    catalogue.tiers(), now);
                                            return new RewardStatus(reward, stockLeft, verdict);
                                        }).toList()))));
    }

    /** The customer's redemptions, newest first; an unknown customer is a 404. */
    public Uni<List<RewardRedemption>> redemptions(String customerId) {
        return points.account(pool, customerId)
                .invoke(account -> {
                    if (account == null) {
                        throw new RequestProblems.CustomerNotFound(customerId);
                    }
                })
                .chain(account -> rewards.redemptionsOf(pool, customerId, REDEMPTIONS_SHOWN));
    }

    /** A reward as this customer sees it now; {@code stockLeft} null: unlimited. */
    public record RewardStatus(Reward reward, Long stockLeft, Verdict verdict) {
    }
}
