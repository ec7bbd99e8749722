package dev.retention.points.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.eventing.api.AttemptLimiter;
import dev.retention.points.config.PointsConfig;
import dev.retention.points.domain.LedgerEntry;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.domain.RewardCatalogue;
import dev.retention.points.domain.RewardCatalogues;
import dev.retention.points.domain.RewardEligibility;
import dev.retention.points.domain.RewardEligibility.Reason;
import dev.retention.points.domain.RewardEligibility.Refusal;
import dev.retention.points.domain.RewardRedemption;
import dev.retention.points.domain.RewardRefusedException;
import dev.retention.points.persistence.PointsStore.ApiRequest;
import dev.retention.points.persistence.RewardStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A customer redeems points for a reward of the catalogue in force now: the saga's first step. In one transaction
 * under the customer's account lock: judge the reward ({@link RewardEligibility}), take one of its stock (a
 * conditional update, so concurrent redemptions never take more than the stock), debit the price, store the
 * redemption (REQUESTED) and write {@code points.changed} and {@code reward.redemption-requested} to the outbox.
 * Once per client key (as {@link RedeemPoints}); a refusal changes nothing. Attempts are counted per customer.
 * Support or an admin may redeem on the customer's behalf (a customer calling the hotline): the same rules, and the
 * redemption and its ledger entry keep who did it.
 */
@ApplicationScoped
public class RedeemReward {

    static final String OPERATION = "reward-redemption";

    private final IdempotentLedgerWrites writes;
    private final RewardStore rewards;
    private final RewardCatalogues catalogues;
    private final PointsPolicies policies;
    private final Pool pool;
    private final Clock clock;
    private final AttemptLimiter attempts;

    public RedeemReward(IdempotentLedgerWrites writes, RewardStore rewards, RewardCatalogues catalogues,
                        PointsPolicies policies, Pool pool, Clock clock, PointsConfig config) {
        this.writes = writes;
        this.rewards = rewards;
        this.catalogues = catalogues;
        this.policies = policies;
        this.pool = pool;
        this.clock = clock;
        this.attempts = new AttemptLimiter(pool, clock, config.redemption().attemptsPerCustomer(),
                config.redemption().attemptWindow());
    }

    /**
     * @param currency    the currency the customer shops in, for a voucher with a value per currency (null: the
     *                    programme's reporting currency, as campaign-service decides)
     * @param requestedBy who redeems on the customer's behalf (a staff token's subject); null: the customer
     */
    public Uni<Redeemed> redeem(String customerId, String rewardId, String idempotencyKey, String currency,
                                String requestedBy) {
        // Who asked is part of the request: the customer's key reused by an agent (or the other way round) is 409,
        // not the other one's answer. The customer's own fingerprint stays as it was before agents could redeem.
        ApiRequest request = new ApiRequest(customerId, OPERATION, idempotencyKey,
                "reward=" + rewardId + "|currency=" + (currency == null ? "" : currency)
                        + (requestedBy == null ? "" : "|by=" + requestedBy));
        String redemptionId = RewardRedemption.idFor(IdempotentLedgerWrites.causeOf(request));
        // Counted before anything else: a refused redemption is an attempt too.
        return attempts.attempt("reward-redemption", List.of("customer:" + customerId))
                .chain(allowed -> writes.once(request, PointsRules.REWARD, requestedBy, (tx, cause) -> {
                    Instant now = clock.instant();
                    RewardCatalogue catalogue = catalogues.at(now);
                    Reward reward = catalogue.reward(rewardId)
                            .orElseThrow(() -> new RequestProblems.RewardNotFound(rewardId));
                    return writes.lock(tx, customerId, null)
                            .call(work -> judge(tx, work.account(customerId), reward, catalogue, now))
                            .call(work -> takeOne(tx, reward))
                            .call(work -> {
                                LedgerEntry debit = PointsRules.under(policies.at(now))
                                        .redeemReward(work.account(customerId), reward.price(), rewardId, cause, now);
                                work.record(debit);
                                work.publish(requested(redemptionId, customerId, debit, catalogue, reward, currency,
                                        now));
                                return rewards.insert(tx, RewardRedemption.requested(redemptionId, customerId,
                                        rewardId, reward.name(), reward.price(), debit.entryId(), catalogue.version(),
                                        currency, requestedBy, now));
                            });
                }))
                .chain(outcome -> rewards.redemption(pool, redemptionId)
                        .map(redemption -> new Redeemed(redemption, outcome.entry(), outcome.replayed())));
    }

    /** The facts read under the account's lock: the tier, this period's redemptions of the reward, its stock. */
    private Uni<Void> judge(SqlConnection tx, PointsAccount account, Reward reward, RewardCatalogue catalogue,
                            Instant now) {
        Map<String, Instant> since = new HashMap<>();
        since.put(reward.id(), RewardEligibility.periodStart(reward, now, catalogue.zone()));
        return rewards.tierAt(tx, account.customerId(), now)
                .chain(tier -> rewards.redeemedSince(tx, account.customerId(), since)
                        .chain(redeemed -> rewards.taken(tx, List.of(reward.id()))
                                .invoke(taken -> {
                                    var verdict = RewardEligibility.judge(reward, new RewardEligibility.Customer(
                                                    account.available(), tier, redeemed.getOrDefault(reward.id(), 0L),
                                                    RewardEligibility.stockLeft(reward.stock(),
                                                            taken.getOrDefault(reward.id(), 0L))),
                                            catalogue.tiers(), now);
                                    if (!verdict.eligible()) {
                                        throw new RewardRefusedException(reward.id(), verdict.refusals());
                                    }
                                })))
                .replaceWithVoid();
    }

    /**
     * Every reward counts what was taken, unlimited ones too, so a later version that gives it a stock starts from
     * the true count. The last one goes to whichever transaction updates the row first; the others find it sold out.
     */
    private Uni<Void> takeOne(SqlConnection tx, Reward reward) {
        return rewards.take(tx, reward.id(), reward.stock() == null ? Long.MAX_VALUE : reward.stock())
                .invoke(took -> {
                    if (!took) {
                        throw new RewardRefusedException(reward.id(), List.of(new Refusal(Reason.STOCK, "sold out")));
                    }
                })
                .replaceWithVoid();
    }

    /** Its id derives from the redemption: a retry that got through twice would publish the same event. */
    private static EventEnvelope<?> requested(String redemptionId, String customerId, LedgerEntry debit,
                                              RewardCatalogue catalogue, Reward reward, String currency, Instant now) {
        return EventEnvelope.of(EventIds.derive(redemptionId, "reward.redemption-requested"), PointsEvents.SOURCE, now,
                customerId, new RewardRedemptionRequested(redemptionId, reward.id(), debit.entryId(), reward.price(),
                        catalogue.version(), reward, currency, now));
    }

    /** The redemption and its debit (as made the first time, when {@code replayed}). */
    public record Redeemed(RewardRedemption redemption, LedgerEntry debit, boolean replayed) {
    }
}
