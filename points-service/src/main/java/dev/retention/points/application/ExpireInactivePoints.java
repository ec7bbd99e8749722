package dev.retention.points.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.Map;

/**
 * Points not used for the inactivity period expire, after a {@code points.expiring} warning. The due accounts come
 * from an indexed range a chunk at a time ({@link LedgerJobChunks}); replicas split them. An account's inactivity
 * period and warning are those of the programme version in force at its last activity, when the period started
 * (the stored expiry date agrees); the due range is read with the warning period of the version in force now.
 */
@ApplicationScoped
public class ExpireInactivePoints {

    private final PointsPolicies policies;
    private final PointsStore store;
    private final LedgerJobChunks chunks;
    private final Clock clock;

    public ExpireInactivePoints(PointsPolicies policies, PointsStore store, LedgerJobChunks chunks, Clock clock) {
        this.policies = policies;
        this.store = store;
        this.chunks = chunks;
        this.clock = clock;
    }

    /** Warns of coming expiries and expires what is due; returns how many accounts it handled. */
    public Uni<Integer> expireAll() {
        return chunks.untilShort(this::expiryChunk, LedgerWork::accountsHeld);
    }

    private Uni<LedgerWork> expiryChunk(SqlConnection tx) {
        Instant now = clock.instant();
        Instant warnUntil = now.plus(policies.at(now).expiryWarning());
        return store.lockAccountsDueForExpiry(tx, now, warnUntil, chunks.size())
                .chain(due -> store.lockAccounts(tx, due))
                .map(accounts -> warnAndExpire(accounts, now));
    }

    private LedgerWork warnAndExpire(Map<String, PointsAccount> accounts, Instant now) {
        LedgerWork work = LedgerWork.of(accounts, Map.of());
        for (String customerId : accounts.keySet()) {
            PointsAccount account = work.account(customerId);
            if (account.lastActivityAt() == null) {
                continue;
            }
            PointsRules rules = PointsRules.under(policies.at(account.lastActivityAt()));
            String cause = "expiry:" + customerId + ":" + account.expiresAt(rules.policy());
            rules.expiryWarning(account, now).ifPresent(warning -> work.publish(EventEnvelope.of(
                    EventIds.derive(cause, "points.expiring"), PointsEvents.SOURCE, now, customerId, warning)));
            work.record(rules.expire(account, cause, now));
        }
        return work;
    }
}
