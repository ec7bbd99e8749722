package dev.retention.campaigns.application;

import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.IssuedVoucher.Evaluation;
import dev.retention.campaigns.domain.VoucherRefusedException.Reason;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.contracts.events.Money;
import dev.retention.eventing.api.AttemptLimiter;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.math.BigDecimal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/**
 * What a voucher would give a basket, as the checkout shows it before the order: a dry run that changes nothing
 * (a plain read, no lock). It counts against the same attempt limits as a redemption, so that a validation cannot
 * be used to probe codes where a redemption could not.
 */
@ApplicationScoped
public class ValidateVoucher {

    private final Pool pool;
    private final TriggerStore store;
    private final AttemptLimiter attempts;

    public ValidateVoucher(Pool pool, TriggerStore store, Clock clock, CampaignsConfig config) {
        this.pool = pool;
        this.store = store;
        this.attempts = new AttemptLimiter(pool, clock, config.voucherRedemption().attempts(),
                config.voucherRedemption().attemptWindow());
    }

    /** @param shipping the shipping charged, may be null */
    public Uni<Evaluation> validate(String code, String customerId, Money orderValue, BigDecimal shipping,
                                    Instant now) {
        String normalized = IssuedVoucher.normalize(code);
        return attempts.attempt(RedeemVoucher.ATTEMPTS, List.of("customer:" + customerId, "code:" + normalized))
                .chain(() -> store.checkoutVoucher(pool, normalized))
                .map(found -> found.map(v -> v.voucher().evaluate(customerId, orderValue, shipping, now))
                        .orElseGet(() -> new Evaluation(Reason.UNKNOWN_VOUCHER,
                                "no voucher " + code + " for this customer", null, false, null, null)));
    }
}
