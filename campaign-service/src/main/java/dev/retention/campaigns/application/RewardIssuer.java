package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.CampaignProgramme;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.RewardIssue;
import dev.retention.campaigns.domain.TriggerOutcome;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.domain.VoucherCodeGenerator;
import dev.retention.campaigns.persistence.CodePoolStore;
import dev.retention.campaigns.persistence.RewardStore;
import dev.retention.campaigns.persistence.RewardStore.Decided;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.campaigns.persistence.TriggerStore.LoggedTrigger;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.IssuedReward;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.eventing.programme.ProgrammePolicies;
import io.micrometer.core.instrument.MeterRegistry;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The campaign step of the redemption saga, inside the consumer batch's transaction (it opens none; the batch holds
 * the lock of every customer in it): each redemption is decided once (the {@code reward_issue} row, keyed by the
 * redemption id, and the trigger log's {@code reward} + redemption id), whatever event id it arrives under. Issued:
 * the voucher or the partner code, a {@code trigger.fired} of type {@code reward} and a {@code reward.issued}; not:
 * a {@code reward.issue-failed} and nothing else. Pools are locked in pool id order, after the customers, so two
 * batches never wait for each other in a circle.
 */
@ApplicationScoped
public class RewardIssuer {

    private final RewardStore rewards;
    private final CodePoolStore pools;
    private final TriggerStore triggers;
    private final ProgrammePolicies<CampaignProgramme> programmes;
    private final VoucherCodeGenerator codes;
    private final MeterRegistry registry;

    public RewardIssuer(RewardStore rewards, CodePoolStore pools, TriggerStore triggers,
                        ProgrammePolicies<CampaignProgramme> programmes, VoucherCodeGenerator codes,
                        MeterRegistry registry) {
        this.rewards = rewards;
        this.pools = pools;
        this.triggers = triggers;
        this.programmes = programmes;
        this.codes = codes;
        this.registry = registry;
    }

    /**
     * A redemption as the batch met it.
     *
     * @param erased the customer's erasure was applied before it in the batch's order (or in an earlier batch)
     */
    public record Redemption(String eventId, String customerId, RewardRedemptionRequested request, boolean erased) {
    }

    /** What one redemption came to, before the store tells which are new. */
    private record Outcome(Redemption redemption, String triggerId, RewardIssue.Plan plan, IssuedVoucher voucher,
                           String partnerCode, RewardIssueFailed.Reason reason, String detail) {

        boolean issued() {
            return reason == null;
        }

        TriggerRequest trigger() {
            return switch (plan) {
                case RewardIssue.IssueVoucher v -> v.request();
                case RewardIssue.ClaimCode c -> c.request();
                case RewardIssue.Refuse r -> null;
            };
        }
    }

    /** Issues the redemptions in the batch's order; returns the events to publish with the batch. */
    public Uni<List<EventEnvelope<?>>> issue(SqlConnection tx, List<Redemption> batch, Instant now) {
        Map<String, Redemption> distinct = new LinkedHashMap<>();
        batch.forEach(r -> distinct.putIfAbsent(r.request().redemptionId(), r));
        if (distinct.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return rewards.decided(tx, distinct.keySet())
                .map(decided -> plans(distinct.values().stream()
                        .filter(r -> !decided.contains(r.request().redemptionId())).toList()))
                .chain(plans -> claim(tx, plans, now).map(claimed -> outcomes(plans, claimed)))
                .chain(outcomes -> save(tx, outcomes, now));
    }

    private Map<Redemption, RewardIssue.Plan> plans(List<Redemption> undecided) {
        Map<Redemption, RewardIssue.Plan> plans = new LinkedHashMap<>();
        for (Redemption r : undecided) {
            String reporting = programmes.at(r.request().requestedAt()).policy().baseCurrency();
            plans.put(r, RewardIssue.plan(r.request(), r.customerId(), r.erased(), r.eventId(), reporting,
                    () -> codes.next(RewardIssue.VOUCHER_PREFIX), triggerId(r.request().redemptionId())));
        }
        return plans;
    }

    /** The partner codes, pool by pool in id order: redemption id to code; a redemption without one found none. */
    private Uni<Map<String, String>> claim(SqlConnection tx, Map<Redemption, RewardIssue.Plan> plans, Instant now) {
        TreeMap<String, List<String>> byPool = new TreeMap<>();
        plans.forEach((r, plan) -> {
            if (plan instanceof RewardIssue.ClaimCode claim) {
                byPool.computeIfAbsent(claim.poolId(), p -> new ArrayList<>()).add(r.request().redemptionId());
            }
        });
        Map<String, String> claimed = new HashMap<>();
        if (byPool.isEmpty()) {
            return Uni.createFrom().item(claimed);
        }
        return Multi.createFrom().iterable(byPool.entrySet())
                .onItem().transformToUniAndConcatenate(pool -> pools.claim(tx, pool.getKey(), pool.getValue(), now)
                        .invoke(claimed::putAll))
                .collect().last().replaceWith(claimed);
    }

    private static List<Outcome> outcomes(Map<Redemption, RewardIssue.Plan> plans, Map<String, String> claimed) {
        List<Outcome> outcomes = new ArrayList<>();
        plans.forEach((r, plan) -> {
            String redemptionId = r.request().redemptionId();
            String triggerId = triggerId(redemptionId);
            outcomes.add(switch (plan) {
                case RewardIssue.Refuse refuse ->
                        new Outcome(r, triggerId, plan, null, null, refuse.reason(), refuse.detail());
                case RewardIssue.IssueVoucher issue -> new Outcome(r, triggerId, plan, issue.voucher(), null, null, null);
                case RewardIssue.ClaimCode claim -> claimed.containsKey(redemptionId)
                        ? new Outcome(r, triggerId, plan, null, claimed.get(redemptionId), null, null)
                        : new Outcome(r, triggerId, plan, null, null, RewardIssueFailed.Reason.POOL_EMPTY,
                        "pool " + claim.poolId() + " has no code left");
            });
        });
        return outcomes;
    }

    private Uni<List<EventEnvelope<?>>> save(SqlConnection tx, List<Outcome> outcomes, Instant now) {
        List<LoggedTrigger> logged = new ArrayList<>();
        List<IssuedVoucher> vouchers = new ArrayList<>();
        List<Decided> decided = new ArrayList<>();
        for (Outcome o : outcomes) {
            RewardRedemptionRequested request = o.redemption().request();
            if (o.issued()) {
                logged.add(new LoggedTrigger(o.triggerId(), o.trigger(), TriggerOutcome.FIRED,
                        o.voucher() == null ? null : o.voucher().code(), now, logged.size()));
                if (o.voucher() != null) {
                    vouchers.add(o.voucher());
                }
            }
            decided.add(new Decided(request.redemptionId(), o.redemption().customerId(), request.rewardId(),
                    o.issued() ? null : o.reason().name(), o.issued() ? o.triggerId() : null,
                    o.redemption().eventId(), now));
        }
        return triggers.log(tx, logged)
                .call(() -> triggers.insertVouchers(tx, vouchers))
                .chain(() -> rewards.record(tx, decided))
                .map(inserted -> {
                    List<EventEnvelope<?>> events = new ArrayList<>();
                    for (Outcome o : outcomes) {
                        if (inserted.contains(o.redemption().request().redemptionId())) {
                            events.addAll(events(o, now));
                            count(o);
                        }
                    }
                    return events;
                });
    }

    private static List<EventEnvelope<?>> events(Outcome o, Instant now) {
        Redemption r = o.redemption();
        RewardRedemptionRequested request = r.request();
        String source = TriggerIssuer.SOURCE;
        if (!o.issued()) {
            return List.of(EventEnvelope.of(EventIds.derive(request.redemptionId(), "reward.issue-failed"), source,
                    now, r.customerId(), new RewardIssueFailed(request.redemptionId(), request.rewardId(), o.reason(),
                            o.detail(), now)));
        }
        Reward reward = request.reward();
        TriggerRequest trigger = o.trigger();
        IssuedReward issued = new IssuedReward(request.redemptionId(), request.rewardId(), reward.name(),
                request.points(), o.partnerCode(), o.partnerCode() == null ? null : reward.partner().text());
        TriggerFired fired = new TriggerFired(o.triggerId(), TriggerType.REWARD, null, trigger.reason(),
                r.eventId(), null, o.voucher() == null ? null : o.voucher().toEvent(), Map.of(), now, issued);
        return List.of(EventEnvelope.of(o.triggerId(), source, now, r.customerId(), fired),
                EventEnvelope.of(EventIds.derive(request.redemptionId(), "reward.issued"), source, now,
                        r.customerId(), new RewardIssued(request.redemptionId(), request.rewardId(), reward.kind(),
                                o.triggerId(), o.voucher() == null ? null : o.voucher().code(), now)));
    }

    /** The trigger's id as {@link TriggerIssuer} derives it for its type and once-only key, the redemption id. */
    static String triggerId(String redemptionId) {
        return EventIds.derive(TriggerType.REWARD.wireName() + ":" + redemptionId, "trigger.fired");
    }

    private void count(Outcome o) {
        registry.counter("retention.rewards.issued", "outcome", o.issued() ? "ISSUED" : o.reason().name())
                .increment();
        if (o.issued()) {
            registry.counter("retention.triggers", "type", TriggerType.REWARD.wireName(),
                    "outcome", TriggerOutcome.FIRED.name()).increment();
        }
    }
}
