package dev.retention.points.application;

import dev.retention.eventing.api.AttemptLimiter;
import dev.retention.points.application.IdempotentLedgerWrites.Outcome;
import dev.retention.points.config.PointsConfig;
import dev.retention.points.domain.PointsPolicies;
import dev.retention.points.domain.PointsRules;
import dev.retention.points.domain.RedemptionRequest;
import dev.retention.points.persistence.PointsStore.ApiRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** A customer redeems points, optionally for an order; once per client key, attempts counted per customer. */
@ApplicationScoped
public class RedeemPoints {

    private final IdempotentLedgerWrites writes;
    private final PointsPolicies policies;
    private final Clock clock;
    private final AttemptLimiter attempts;

    public RedeemPoints(IdempotentLedgerWrites writes, PointsPolicies policies, Clock clock, Pool pool,
                        PointsConfig config) {
        this.writes = writes;
        this.policies = policies;
        this.clock = clock;
        this.attempts = new AttemptLimiter(pool, clock, config.redemption().attemptsPerCustomer(),
                config.redemption().attemptWindow());
    }

    /** The hurdles of the programme version in force now. */
    public Uni<Outcome> redeem(String customerId, String idempotencyKey, RedemptionRequest request) {
        String fingerprint = "points=" + request.points() + "|order=" + request.orderId() + "|value="
                + (request.orderValue() == null ? ""
                : request.orderValue().stripTrailingZeros().toPlainString() + " " + request.currency());
        ApiRequest apiRequest = new ApiRequest(customerId, "redemption", idempotencyKey, fingerprint);
        // Counted before anything else: a refused redemption is an attempt too.
        return attempts.attempt("points-redemption", List.of("customer:" + customerId))
                .chain(allowed -> writes.once(apiRequest, PointsRules.API_REDEMPTION, null,
                        (tx, cause) -> writes.lock(tx, customerId, request.orderId()).invoke(work -> {
                            Instant now = clock.instant();
                            work.record(PointsRules.under(policies.at(now)).redeem(work.account(customerId),
                                    request.orderId() == null ? null : work.order(request.orderId(), customerId),
                                    request, cause, now));
                        })));
    }
}
