package dev.retention.campaigns.application;

import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignState;
import dev.retention.campaigns.domain.IssuedVoucher;
import dev.retention.campaigns.domain.IssuedVoucher.Evaluation;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.VoucherRefusedException.Reason;
import dev.retention.campaigns.persistence.TriggerStore;
import dev.retention.campaigns.persistence.TriggerStore.CheckoutVoucher;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.VoucherRedeemed;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The vouchers of a polled batch's orders, in the batch's transaction ({@link ApplyCampaignEvents}): the codes an
 * {@code order.placed} lists are redeemed for it at its {@code placedAt} under their row locks
 * ({@code voucher.redeemed}, source ORDER) or refused ({@code voucher.rejected}); an {@code order.cancelled} gives
 * back the vouchers its order redeemed ({@code voucher.released}) unless
 * {@code retention.campaigns.vouchers.release-on-cancel} is off. A batch without codes nor cancellations costs
 * nothing: no statement.
 * <p>
 * What a voucher is judged against: the goods' value before discounts ({@code merchandiseTotal + discountTotal}:
 * {@code merchandiseTotal} is after discounts, this voucher's own among them), points included (they pay for goods,
 * they take nothing off), shipping and tax excluded. The minimum order value and a percentage apply to it.
 * <p>
 * An order's vouchers are decided once, by the first {@code order.placed} of the order: the same order again (a
 * replay under another event id) changes nothing and publishes nothing, and an order already cancelled when it
 * arrives redeems nothing.
 */
@ApplicationScoped
public class CheckoutVouchers {

    private final TriggerStore store;
    private final boolean releaseOnCancel;

    @Inject
    public CheckoutVouchers(TriggerStore store, CampaignsConfig config) {
        this(store, config.vouchers().releaseOnCancel());
    }

    CheckoutVouchers(TriggerStore store, boolean releaseOnCancel) {
        this.store = store;
        this.releaseOnCancel = releaseOnCancel;
    }

    /**
     * What a batch asks of vouchers, read before the rules change the orders.
     *
     * @param decidedBefore the orders (with codes) known before the batch: their vouchers were decided then
     */
    public record Plan(List<EventEnvelope<?>> events, Set<String> codes, Set<String> cancelledOrders,
                       Set<String> decidedBefore) {

        static final Plan NOTHING = new Plan(List.of(), Set.of(), Set.of(), Set.of());

        public boolean nothing() {
            return codes.isEmpty() && cancelledOrders.isEmpty();
        }
    }

    /** Call before the rules apply the batch to {@code state}: it tells which orders were known before. */
    public Plan plan(List<EventEnvelope<?>> events, CampaignState state) {
        Set<String> codes = new LinkedHashSet<>();
        Set<String> cancelled = new LinkedHashSet<>();
        Set<String> decidedBefore = new HashSet<>();
        for (EventEnvelope<?> event : events) {
            if (event.data() instanceof OrderPlaced placed && !placed.voucherCodes().isEmpty()) {
                placed.voucherCodes().forEach(code -> codes.add(IssuedVoucher.normalize(code)));
                OrderState known = state.knownOrder(placed.orderId());
                if (known != null && known.status() != OrderState.Status.UNKNOWN) {
                    decidedBefore.add(placed.orderId());
                }
            } else if (releaseOnCancel && event.data() instanceof OrderCancelled cancelledOrder) {
                cancelled.add(cancelledOrder.orderId());
            }
        }
        if (codes.isEmpty() && cancelled.isEmpty()) {
            return Plan.NOTHING; // the hot path: orders without vouchers
        }
        return new Plan(events, codes, cancelled, decidedBefore);
    }

    /** Redeems, refuses and releases in the batch's order; returns the events to publish. */
    public Uni<List<EventEnvelope<?>>> apply(SqlConnection tx, Plan plan) {
        if (plan.nothing()) {
            return Uni.createFrom().item(List.of());
        }
        return store.lockCheckoutVouchers(tx, plan.codes(), plan.cancelledOrders()).chain(locked -> {
            Checkout checkout = new Checkout(locked, plan.decidedBefore());
            plan.events().forEach(checkout::apply);
            return store.saveRedemptions(tx, checkout.changed.values()).replaceWith(checkout.events);
        });
    }

    /** The locked vouchers as the batch changes them, event by event. */
    private final class Checkout {
        private final Map<String, CheckoutVoucher> locked;
        private final Map<String, IssuedVoucher> current = new LinkedHashMap<>();
        private final Map<String, IssuedVoucher> changed = new LinkedHashMap<>();
        private final Set<String> decided;
        private final List<EventEnvelope<?>> events = new ArrayList<>();

        Checkout(Map<String, CheckoutVoucher> locked, Set<String> decidedBefore) {
            this.locked = locked;
            this.decided = new HashSet<>(decidedBefore);
            locked.forEach((code, voucher) -> current.put(code, voucher.voucher()));
        }

        void apply(EventEnvelope<?> event) {
            if (event.data() instanceof OrderPlaced placed && !placed.voucherCodes().isEmpty()) {
                if (decided.add(placed.orderId())) {
                    place(event.customerId(), placed);
                }
            } else if (event.data() instanceof OrderCancelled cancelled) {
                decided.add(cancelled.orderId());
                if (releaseOnCancel) {
                    release(event.customerId(), cancelled);
                }
            }
        }

        private void place(String customerId, OrderPlaced placed) {
            BigDecimal goods = placed.merchandiseTotal()
                    .add(placed.discountTotal() == null ? BigDecimal.ZERO : placed.discountTotal());
            Money orderValue = new Money(goods, placed.currency());
            Map<String, String> distinct = new LinkedHashMap<>(); // normalized code -> as sent, first of each
            placed.voucherCodes().forEach(code -> distinct.putIfAbsent(IssuedVoucher.normalize(code), code));
            distinct.forEach((code, asSent) -> {
                IssuedVoucher voucher = current.get(code);
                if (voucher == null) {
                    events.add(VoucherEvents.rejected(customerId, asSent, placed.orderId(), Reason.UNKNOWN_VOUCHER,
                            "no voucher " + asSent + " for this customer", null, placed.placedAt()));
                    return;
                }
                if (voucher.customerId().equals(customerId) && placed.orderId().equals(voucher.redeemedOrderId())) {
                    return; // redeemed for this order already (through the API at checkout): the same redemption
                }
                Evaluation evaluation = voucher.evaluate(customerId, orderValue, placed.shippingTotal(),
                        placed.placedAt());
                if (!evaluation.valid()) {
                    events.add(VoucherEvents.rejected(customerId, asSent, placed.orderId(), evaluation.refusal(),
                            evaluation.detail(), evaluation.refusal() == Reason.ALREADY_REDEEMED
                                    ? voucher.redeemedOrderId() : null, placed.placedAt()));
                    return;
                }
                IssuedVoucher redeemed = voucher.redeem(customerId, placed.orderId(), orderValue, placed.placedAt());
                current.put(code, redeemed);
                changed.put(code, redeemed);
                events.add(VoucherEvents.redeemed(locked.get(code), redeemed, VoucherRedeemed.Source.ORDER,
                        orderValue, evaluation.discount()));
            });
        }

        private void release(String customerId, OrderCancelled cancelled) {
            Map<String, IssuedVoucher> released = new HashMap<>();
            current.forEach((code, voucher) -> {
                if (voucher.redeemed() && voucher.customerId().equals(customerId)
                        && cancelled.orderId().equals(voucher.redeemedOrderId())) {
                    released.put(code, voucher.release());
                    events.add(VoucherEvents.released(voucher, cancelled.cancelledAt()));
                }
            });
            current.putAll(released);
            changed.putAll(released);
        }
    }
}
