package dev.retention.campaigns.application;

import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.VoucherRefusedException;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.contracts.events.Money;
import dev.retention.eventing.api.AttemptLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * Redemption of a voucher at checkout, atomic: under the voucher's row lock, so of concurrent redemptions exactly
 * one succeeds. Redeeming again for the same order answers the same redemption (a retried checkout).
 */
@ApplicationScoped
public class RedeemVoucher {

    private final Pool pool;
    private final TriggerStore store;
    private final AttemptLimiter attempts;

    public RedeemVoucher(Pool pool, TriggerStore store, Clock clock, CampaignsConfig config) {
        this.pool = pool;
        this.store = store;
        this.attempts = new AttemptLimiter(pool, clock, config.voucherRedemption().attempts(),
                config.voucherRedemption().attemptWindow());
    }

    /**
     * Redeems the customer's voucher {@code code} (in any case) for the order. Fails with a
     * {@link VoucherRefusedException} when the customer has no such voucher or its terms refuse the order, and with
     * {@link AttemptLimiter.TooManyAttempts} past the attempts allowed per customer or per code.
     */
    public Uni<IssuedVoucher> redeem(String code, String customerId, String orderId, Money orderValue, Instant now) {
        String normalized = code.toUpperCase(Locale.ROOT);
        // Counted first and on its own: a wrong code is an attempt too. Per customer stops one customer guessing
        // codes, per code stops many (made-up) customers trying one code.
        return attempts.attempt("voucher-redemption", List.of("customer:" + customerId, "code:" + normalized))
                .chain(() -> pool.withTransaction(tx -> redeemLocked(tx, normalized, code, customerId, orderId,
                        orderValue, now)));
    }

    private Uni<IssuedVoucher> redeemLocked(SqlConnection tx, String normalized, String code, String customerId,
                                            String orderId, Money orderValue, Instant now) {
        return store.lockVoucher(tx, normalized).chain(found -> {
            IssuedVoucher voucher = found.orElseThrow(() -> new VoucherRefusedException(
                    VoucherRefusedException.Reason.UNKNOWN_VOUCHER, "no voucher " + code + " for this customer"));
            IssuedVoucher redeemed = voucher.redeem(customerId, orderId, orderValue, now);
            if (redeemed == voucher) {
                return Uni.createFrom().item(redeemed); // the same order again
            }
            return store.redeem(tx, redeemed).map(done -> {
                if (!done) {
                    throw new IllegalStateException("voucher " + code + " changed under its row lock");
                }
                return redeemed;
            });
        });
    }
}
