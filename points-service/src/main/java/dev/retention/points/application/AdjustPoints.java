package dev.retention.points.application;

import dev.retention.points.application.IdempotentLedgerWrites.Outcome;
import dev.retention.points.config.PointsConfig;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore.ApiRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** Support or an admin corrects a balance by hand, with a reason; the ledger keeps who did it. */
@ApplicationScoped
public class AdjustPoints {

    private final IdempotentLedgerWrites writes;
    private final PointsPolicies policies;
    private final Clock clock;
    private final long maxAdjustment;

    public AdjustPoints(IdempotentLedgerWrites writes, PointsPolicies policies, Clock clock, PointsConfig config) {
        this.writes = writes;
        this.policies = policies;
        this.clock = clock;
        this.maxAdjustment = config.maxAdjustment();
    }

    /** {@code actor}: who adjusts (the token's subject), kept with the entry. */
    public Uni<Outcome> adjust(String customerId, String idempotencyKey, long points, String reason, String actor) {
        ApiRequest request = new ApiRequest(customerId, "adjustment", idempotencyKey,
                "points=" + points + "|reason=" + reason);
        return writes.once(request, PointsRules.MANUAL_ADJUSTMENT, actor,
                (tx, cause) -> writes.lock(tx, customerId, null).invoke(work -> {
                    var now = clock.instant();
                    work.record(PointsRules.under(policies.at(now)).adjust(work.account(customerId), points,
                            maxAdjustment, reason, cause, now));
                }));
    }
}
