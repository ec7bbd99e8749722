package dev.retention.campaigns.application;

import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.IssuedVoucher.Evaluation;
import dev.retention.campaigns.domain.VoucherRefusedException;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.campaigns.persistence.TriggerStore.CheckoutVoucher;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.eventing.EventOutbox;
import dev.retention.eventing.api.AttemptLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * Redemption of a voucher at checkout, atomic: under the voucher's row lock, so of concurrent redemptions exactly
 * one succeeds. Redeeming again for the same order answers the same redemption (a retried checkout). A redemption
 * publishes {@code voucher.redeemed} (source API) through the outbox in its transaction, a refusal
 * {@code voucher.rejected} (source API) in the transaction that found it.
 */
@ApplicationScoped
public class RedeemVoucher {

    /** The attempt counter that redemptions and validations share. */
    static final String ATTEMPTS = "voucher-redemption";

    private final Pool pool;
    private final TriggerStore store;
    private final EventOutbox outbox;
    private final AttemptLimiter attempts;

    public RedeemVoucher(Pool pool, TriggerStore store, EventOutbox outbox, Clock clock, CampaignsConfig config) {
        this.pool = pool;
        this.store = store;
        this.outbox = outbox;
        this.attempts = new AttemptLimiter(pool, clock, config.voucherRedemption().attempts(),
                config.voucherRedemption().attemptWindow());
    }

    /**
     * The voucher as redeemed, or the refusal to answer; and the event published (none for the same order again,
     * nor for a refusal published before).
     */
    private record Outcome(IssuedVoucher voucher, VoucherRefusedException refusal, List<EventEnvelope<?>> events) {
    }

    /**
     * Redeems the customer's voucher {@code code} (in any case) for the order. Fails with a
     * {@link VoucherRefusedException} when the customer has no such voucher or its terms refuse the order, having
     * published the refusal as {@code voucher.rejected} (source API; once per order, code and reason, so a retried
     * request publishes nothing again); and with {@link AttemptLimiter.TooManyAttempts} past the attempts allowed per
     * customer or per code (not published: the code was not looked at).
     */
    public Uni<IssuedVoucher> redeem(String code, String customerId, String orderId, Money orderValue, Instant now) {
        String normalized = IssuedVoucher.normalize(code);
        // Counted first and on its own: a wrong code is an attempt too. Per customer stops one customer guessing
        // codes, per code stops many (made-up) customers trying one code.
        return attempts.attempt(ATTEMPTS, List.of("customer:" + customerId, "code:" + normalized))
                .chain(() -> pool.withTransaction(tx -> redeemLocked(tx, normalized, code, customerId, orderId,
                        orderValue, now)))
                .map(outcome -> {
                    if (!outcome.events().isEmpty()) {
                        outbox.committed();
                    }
                    if (outcome.refusal() != null) {
                        throw outcome.refusal(); // after the commit: the refusal's event stays published
                    }
                    return outcome.voucher();
                });
    }

    private Uni<Outcome> redeemLocked(SqlConnection tx, String normalized, String code, String customerId,
                                      String orderId, Money orderValue, Instant now) {
        return store.lockCheckoutVouchers(tx, List.of(normalized), List.of()).chain(found -> {
            CheckoutVoucher locked = found.get(normalized);
            if (locked == null) {
                return refuse(tx, code, customerId, orderId, new VoucherRefusedException(
                        VoucherRefusedException.Reason.UNKNOWN_VOUCHER, "no voucher " + code + " for this customer"),
                        null, now);
            }
            IssuedVoucher voucher = locked.voucher();
            IssuedVoucher redeemed;
            try {
                redeemed = voucher.redeem(customerId, orderId, orderValue, now);
            } catch (VoucherRefusedException refusal) {
                return refuse(tx, code, customerId, orderId, refusal,
                        refusal.reason() == VoucherRefusedException.Reason.ALREADY_REDEEMED
                                ? voucher.redeemedOrderId() : null, now);
            }
            if (redeemed == voucher) {
                return Uni.createFrom().item(new Outcome(redeemed, null, List.of())); // the same order again
            }
            Evaluation evaluation = voucher.evaluate(customerId, orderValue, null, now);
            List<EventEnvelope<?>> events = List.of(VoucherEvents.redeemed(locked, redeemed,
                    VoucherRedeemed.Source.API, orderValue, evaluation.discount()));
            return store.redeem(tx, redeemed).chain(done -> {
                if (!done) {
                    // Not the code itself: codes stay out of logs, and this message would reach them.
                    throw new IllegalStateException("a voucher changed under its row lock");
                }
                return outbox.write(tx, events);
            }).replaceWith(new Outcome(redeemed, null, events));
        });
    }

    /** Publishes the refusal through the outbox in this transaction, unless a retry of the request already did. */
    private Uni<Outcome> refuse(SqlConnection tx, String code, String customerId, String orderId,
                                VoucherRefusedException refusal, String redeemedOrderId, Instant now) {
        EventEnvelope<?> rejected = VoucherEvents.rejectedByApi(customerId, code, orderId, refusal, redeemedOrderId,
                now);
        return store.firstApiRejection(tx, rejected.id(), now).chain(first -> first
                ? outbox.write(tx, List.of(rejected)).replaceWith(new Outcome(null, refusal, List.of(rejected)))
                : Uni.createFrom().item(new Outcome(null, refusal, List.of())));
    }
}
