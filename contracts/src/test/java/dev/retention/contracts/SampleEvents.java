package dev.retention.contracts;

import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerErased;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.CustomerUpdated;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderLine;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.PointsExpiring;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.ReturnedLine;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDeliveryFailed;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TierDowngradeAtRisk;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.Voucher;
import dev.retention.contracts.events.RewardIssueFailed;
import dev.retention.contracts.events.RewardIssued;
import dev.retention.contracts.events.RewardRedemptionRequested;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.contracts.events.VoucherRejected;
import dev.retention.contracts.events.VoucherReleased;
import dev.retention.contracts.programme.ProgrammeDocument.CapPeriod;
import dev.retention.contracts.programme.ProgrammeDocument.CustomerLimit;
import dev.retention.contracts.programme.ProgrammeDocument.Offer;
import dev.retention.contracts.programme.ProgrammeDocument.Reward;
import dev.retention.contracts.programme.ProgrammeDocument.Window;
import java.time.Duration;

import java.math.BigDecimal;
import java.time.Instant;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeJson;
import dev.retention.contracts.programme.ProgrammeVersion;

import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/** One valid data record per event type, for the contract's own tests. */
final class SampleEvents {

    static final Instant NOW = Instant.parse("2026-11-22T10:15:30Z");

    private SampleEvents() {
    }

    static EventData dataOf(EventType type) {
        return switch (type) {
            case ORDER_PLACED -> new OrderPlaced("o-1", NOW, "web", "EUR",
                    List.of(new OrderLine("l-1", "sku-1", 2, new BigDecimal("19.99"), new BigDecimal("39.98"))),
                    new BigDecimal("39.98"), new BigDecimal("4.95"), new BigDecimal("7.60"), BigDecimal.ZERO,
                    new BigDecimal("52.53"), 0, BigDecimal.ZERO);
            case ORDER_CANCELLED -> new OrderCancelled("o-1", NOW, "customer changed mind");
            case ORDER_RETURNED -> new OrderReturned("o-1", "r-1", NOW, "EUR",
                    List.of(new ReturnedLine("l-1", "sku-1", 1)), new BigDecimal("19.99"));
            case SHIPMENT_DISPATCHED -> new ShipmentDispatched("s-1", "o-1", "DHL", "JJD0001", NOW,
                    LocalDate.parse("2026-11-25"));
            case SHIPMENT_DELAYED -> new ShipmentDelayed("s-1", "o-1", LocalDate.parse("2026-11-28"), "weather");
            case SHIPMENT_DELIVERED -> new ShipmentDelivered("s-1", "o-1", NOW);
            case SHIPMENT_DELIVERY_FAILED -> new ShipmentDeliveryFailed("s-1", "o-1", NOW, "address unknown");
            case REVIEW_SUBMITTED -> new ReviewSubmitted("rv-1", "o-1", "sku-1", 5, true, NOW);
            case CUSTOMER_REGISTERED -> new CustomerRegistered(NOW, "ada@example.com", "Ada", "Lovelace", "en-GB",
                    "Europe/London", LocalDate.parse("1990-02-28"), new ChannelConsents(true, false, false, false),
                    null);
            case CUSTOMER_UPDATED -> new CustomerUpdated(NOW, "ada@example.com", "Ada", "King", "de-DE",
                    "Europe/Berlin", null, ChannelConsents.none());
            case CUSTOMER_ERASED -> new CustomerErased(NOW);
            case POINTS_CHANGED -> new PointsChanged("e-1", PointsChanged.Kind.EARNED_PENDING, 39, 0, 39, 0, "o-1",
                    "order.earning", "evt-1", NOW);
            case POINTS_EXPIRING -> new PointsExpiring(120, LocalDate.parse("2026-12-31"), 450);
            case TIER_CHANGED -> new TierChanged("bronze", "silver", TierChanged.Direction.UP, "threshold reached",
                    Money.of("512.40", "EUR"), NOW);
            case TIER_DOWNGRADE_AT_RISK -> new TierDowngradeAtRisk("gold", "silver", Money.of("1200.00", "EUR"),
                    Money.of("300.00", "EUR"), LocalDate.parse("2027-01-15"));
            case TRIGGER_FIRED -> new TriggerFired("t-1", TriggerType.DELAY_APOLOGY, "delay-apology", "parcel late",
                    "evt-9", "o-1", new Voucher("SORRY-7KQ9-XM2P", Money.of("10.00", "EUR"), null, null, true, null,
                    NOW.plusSeconds(30 * 86400)), Map.of("firstTimeCustomer", "true"), NOW);
            case TRIGGER_HELD_OUT -> new dev.retention.contracts.events.TriggerHeldOut("t-2", TriggerType.WIN_BACK,
                    "win-back", "no order for 90 days", "evt-9", null, NOW);
            case INSIGHTS_SNAPSHOT -> new dev.retention.contracts.events.InsightsSnapshot("retention",
                    LocalDate.parse("2026-11-21"), "EUR", new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode()
                            .put("months", 12));
            case NOTIFICATION_OUTCOME -> new NotificationOutcome("n-1", "t-1", TriggerType.DELAY_APOLOGY, "email",
                    NotificationOutcome.Outcome.SENT, null, "en-GB", 1, NOW);
            case PROGRAMME_PUBLISHED -> new ProgrammePublished("default", List.of(new ProgrammeVersion(1, NOW,
                    NOW.minusSeconds(30), "admin-1", "the programme as configured", null, ProgrammeJson.initial())));
            case REWARD_REDEMPTION_REQUESTED -> new RewardRedemptionRequested("rd-1", "gift-set", "e-7", 2000, 3,
                    SAMPLE_REWARD, "EUR", NOW);
            case REWARD_ISSUED -> new RewardIssued("rd-1", "gift-set", Reward.Kind.FREE_GIFT, "t-8",
                    "REWARD-7KQ9-XM2P", NOW);
            case REWARD_ISSUE_FAILED -> new RewardIssueFailed("rd-1", "tickets", RewardIssueFailed.Reason.POOL_EMPTY,
                    "pool partner-tickets has no code left", NOW);
            case VOUCHER_REDEEMED -> new VoucherRedeemed("SORRY-7KQ9-XM2P", "t-1", TriggerType.DELAY_APOLOGY,
                    "delay-apology", "o-2", VoucherRedeemed.Source.ORDER, Money.of("54.90", "EUR"),
                    Money.of("10.00", "EUR"), NOW);
            case VOUCHER_REJECTED -> new VoucherRejected("sorry-7kq9-xm2p", "o-3",
                    VoucherRejected.Reason.ALREADY_REDEEMED, "redeemed for order o-2", "o-2", NOW,
                    VoucherRejected.Source.ORDER);
            case VOUCHER_RELEASED -> new VoucherReleased("SORRY-7KQ9-XM2P", "t-1", "o-2", NOW);
            case PRODUCT_UPDATED -> new ProductUpdated("sku-1", "Rose hand cream", "https://shop.example.com/p/sku-1",
                    null, "care", true, NOW);
            case CART_UPDATED -> new dev.retention.contracts.events.CartUpdated("cart-1",
                    List.of(new dev.retention.contracts.events.CartLine("sku-1", 2, Money.of("19.99", "EUR"))), NOW);
            case CHECKOUT_STARTED -> new dev.retention.contracts.events.CheckoutStarted("cart-1", NOW);
            case FEEDBACK_SUBMITTED -> new dev.retention.contracts.events.FeedbackSubmitted("o-1", 4,
                    "parcel was wet", dev.retention.contracts.events.FeedbackChannel.APP, NOW);
            case FEEDBACK_RECORDED -> new dev.retention.contracts.events.FeedbackRecorded("o-1", 4,
                    dev.retention.contracts.events.FeedbackChannel.EMAIL, NOW);
            case SERVICE_RECOVERY_REQUESTED -> new dev.retention.contracts.events.ServiceRecoveryRequested("o-1", 4,
                    null, NOW);
        };
    }

    static final Reward SAMPLE_REWARD = new Reward("gift-set", "Beauty set", "A full-size set", 2000,
            new Window(NOW.minusSeconds(86400), null), 100L, new CustomerLimit(1, CapPeriod.YEAR), "gold",
            new Offer(null, null, "sku-gift-set", false, Map.of("EUR", new BigDecimal("20.00")), Duration.ofDays(60)),
            null);

    static EventEnvelope<?> envelopeOf(EventType type) {
        return new EventEnvelope<>("evt-" + type.wireName(), "/shop/test", type, NOW, "c-42", dataOf(type));
    }
}
