package dev.retention.points.application;

import dev.retention.points.domain.LedgerPage;
import dev.retention.points.domain.PointsAccount;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsPolicy;
import dev.retention.points.persistence.PointsStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;

/** What a customer, the storefront or support reads: the balances and the ledger. Plain reads, no locks. */
@ApplicationScoped
public class ReadPoints {

    private final Pool pool;
    private final PointsStore store;
    private final PointsPolicies policies;
    private final Clock clock;

    public ReadPoints(Pool pool, PointsStore store, PointsPolicies policies, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.policies = policies;
        this.clock = clock;
    }

    public Uni<Balance> balance(String customerId) {
        return store.account(pool, customerId).map(account -> {
            if (account == null) {
                throw new RequestProblems.CustomerNotFound(customerId);
            }
            return new Balance(account, expiresOnIfSoon(account));
        });
    }

    /** A page of the ledger, newest first; an unknown customer is a 404, not an empty page. */
    public Uni<LedgerPage> ledger(String customerId, Long before, int limit) {
        return balance(customerId).chain(exists -> store.ledgerPage(pool, customerId, before, limit));
    }

    private LocalDate expiresOnIfSoon(PointsAccount account) {
        Instant expiresAt = account.expiresAt(policies);
        if (expiresAt == null) {
            return null;
        }
        PointsPolicy policy = policies.at(account.lastActivityAt()); // the one whose inactivity period is running
        if (clock.instant().isBefore(expiresAt.minus(policy.expiryWarning()))) {
            return null;
        }
        return expiresAt.atOffset(ZoneOffset.UTC).toLocalDate();
    }

    /** The account now, and the day its available points expire when that is within the warning period. */
    public record Balance(PointsAccount account, LocalDate expiresOn) {
    }
}
