package dev.retention.points.application;

import dev.retention.points.application.IdempotentLedgerWrites.Outcome;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.persistence.PointsStore.ApiRequest;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** Support or an admin corrects a balance by hand, with a reason; the ledger keeps who did it. */
@ApplicationScoped
public class AdjustPoints {

    private final IdempotentLedgerWrites writes;
    private final PointsRules rules;
    private final Clock clock;

    public AdjustPoints(IdempotentLedgerWrites writes, PointsRules rules, Clock clock) {
        this.writes = writes;
        this.rules = rules;
        this.clock = clock;
    }

    /** {@code actor}: who adjusts (the token's subject), kept with the entry. */
    public Uni<Outcome> adjust(String customerId, String idempotencyKey, long points, String reason, String actor) {
        ApiRequest request = new ApiRequest(customerId, "adjustment", idempotencyKey,
                "points=" + points + "|reason=" + reason);
        return writes.once(request, PointsRules.MANUAL_ADJUSTMENT, actor,
                (tx, cause) -> writes.lock(tx, customerId, null).invoke(work -> work.record(
                        rules.adjust(work.account(customerId), points, reason, cause, clock.instant()))));
    }
}
