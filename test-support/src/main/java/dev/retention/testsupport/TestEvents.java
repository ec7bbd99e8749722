package dev.retention.testsupport;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.CartLine;
import dev.retention.contracts.events.CartUpdated;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CheckoutStarted;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.FeedbackChannel;
import dev.retention.contracts.events.FeedbackSubmitted;
import dev.retention.contracts.events.OrderCancelled;
import dev.retention.contracts.events.OrderLine;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.OrderReturned;
import dev.retention.contracts.events.ProductUpdated;
import dev.retention.contracts.events.ReturnedLine;
import dev.retention.contracts.events.ReviewSubmitted;
import dev.retention.contracts.events.ShipmentDelayed;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDispatched;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.TriggerType;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

/**
 * Builders for the events a shop platform publishes, so tests say what matters and not how JSON looks; and for the
 * platform's own output events that other consumers read (the measurements of {@code trigger.held-out}).
 */
public final class TestEvents {

    public static final String SOURCE = "/test/shop";
    /** The source of what campaign-service publishes on retention.triggers. */
    public static final String CAMPAIGN_SERVICE = "/campaign-service";

    private TestEvents() {
    }

    public static OrderPlacedBuilder orderPlaced(String customerId) {
        return new OrderPlacedBuilder(customerId);
    }

    public static EventEnvelope<OrderCancelled> orderCancelled(String customerId, String orderId) {
        return envelope(customerId, new OrderCancelled(orderId, Instant.now(), "cancelled by customer"));
    }

    public static EventEnvelope<OrderReturned> orderReturned(String customerId, String orderId, String refunded,
                                                             String currency) {
        return envelope(customerId, new OrderReturned(orderId, "ret-" + UUID.randomUUID(), Instant.now(), currency,
                List.of(new ReturnedLine("l-1", "sku-1", 1)), new BigDecimal(refunded)));
    }

    public static EventEnvelope<ShipmentDispatched> shipmentDispatched(String customerId, String orderId,
                                                                       LocalDate promised) {
        return envelope(customerId, new ShipmentDispatched("shp-" + orderId, orderId, "DHL", "JJD" + orderId,
                Instant.now(), promised));
    }

    public static EventEnvelope<ShipmentDelayed> shipmentDelayed(String customerId, String orderId,
                                                                 LocalDate newEstimate) {
        return envelope(customerId, new ShipmentDelayed("shp-" + orderId, orderId, newEstimate, "carrier backlog"));
    }

    public static EventEnvelope<ShipmentDelivered> shipmentDelivered(String customerId, String orderId) {
        return envelope(customerId, new ShipmentDelivered("shp-" + orderId, orderId, Instant.now()));
    }

    public static EventEnvelope<ReviewSubmitted> reviewSubmitted(String customerId, String orderId, int rating) {
        return envelope(customerId, new ReviewSubmitted("rev-" + UUID.randomUUID(), orderId, "sku-1", rating, true,
                Instant.now()));
    }

    /** The shop's feedback answer for an order; {@code comment} may be null. */
    public static EventEnvelope<FeedbackSubmitted> feedbackSubmitted(String customerId, String orderId, int score,
                                                                     String comment) {
        return envelope(customerId, new FeedbackSubmitted(orderId, score, comment, FeedbackChannel.WEB,
                Instant.now()));
    }

    public static EventEnvelope<CustomerRegistered> customerRegistered(String customerId, LocalDate birthDate) {
        return envelope(customerId, new CustomerRegistered(Instant.now(), customerId + "@example.com", "Alex",
                "Doe", "en-GB", "Europe/London", birthDate, new ChannelConsents(true, false, false, false), null));
    }

    /**
     * A product of the shop's catalogue, in stock, named after its SKU, with a page and a picture. The subject and
     * record key are the SKU.
     */
    public static EventEnvelope<ProductUpdated> productUpdated(String sku) {
        return productUpdated(sku, true, Instant.now());
    }

    public static EventEnvelope<ProductUpdated> productUpdated(String sku, boolean inStock, Instant updatedAt) {
        return envelope(sku, new ProductUpdated(sku, "Product " + sku, "https://shop.example.com/p/" + sku,
                "https://shop.example.com/img/" + sku + ".jpg", "general", inStock, updatedAt));
    }

    /**
     * An event as a producer outside Java writes it: a structured-mode CloudEvent around {@code data} exactly as
     * given, for the shapes the records would never write (members left out, numbers where strings belong).
     */
    /**
     * A cart's whole content as of {@code updatedAt}; {@code skuQuantityPrice} holds triples such as
     * {@code "sku-1", "2", "19.99"} (EUR); none is an emptied cart.
     */
    public static EventEnvelope<CartUpdated> cartUpdated(String customerId, String cartId, Instant updatedAt,
                                                         String... skuQuantityPrice) {
        if (skuQuantityPrice.length % 3 != 0) {
            throw new IllegalArgumentException("lines are sku, quantity, unit price triples");
        }
        List<CartLine> lines = new ArrayList<>();
        for (int i = 0; i < skuQuantityPrice.length; i += 3) {
            lines.add(new CartLine(skuQuantityPrice[i], Integer.parseInt(skuQuantityPrice[i + 1]),
                    Money.of(skuQuantityPrice[i + 2], "EUR")));
        }
        return EventEnvelope.of(UUID.randomUUID().toString(), SOURCE, updatedAt, customerId,
                new CartUpdated(cartId, lines, updatedAt));
    }

    public static EventEnvelope<CheckoutStarted> checkoutStarted(String customerId, String cartId,
                                                                 Instant startedAt) {
        return EventEnvelope.of(UUID.randomUUID().toString(), SOURCE, startedAt, customerId,
                new CheckoutStarted(cartId, startedAt));
    }

    public static byte[] structuredJson(String customerId, String type, String data) {
        return ("{\"specversion\":\"1.0\",\"id\":\"" + UUID.randomUUID() + "\",\"source\":\"" + SOURCE
                + "\",\"type\":\"" + type + "\",\"time\":\"" + Instant.now() + "\",\"subject\":\"" + customerId
                + "\",\"datacontenttype\":\"application/json\",\"data\":" + data + "}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }

    /** A new event id each time: a distinct event, not a redelivery. */
    public static <T extends EventData> EventEnvelope<T> envelope(String customerId, T data) {
        return EventEnvelope.of(UUID.randomUUID().toString(), SOURCE, Instant.now(), customerId, data);
    }

    /** A marketing trigger held out for the holdout group, as campaign-service publishes it. */
    public static TriggerHeldOutBuilder triggerHeldOut(String customerId, TriggerType triggerType) {
        return new TriggerHeldOutBuilder(customerId, triggerType);
    }

    public static final class TriggerHeldOutBuilder {
        private final String customerId;
        private final TriggerType triggerType;
        private String triggerId = UUID.randomUUID().toString();
        private String campaignId;
        private String reason;
        private String sourceEventId = UUID.randomUUID().toString();
        private String orderId;
        private Instant heldOutAt = Instant.now();

        private TriggerHeldOutBuilder(String customerId, TriggerType triggerType) {
            this.customerId = customerId;
            this.triggerType = triggerType;
            this.reason = triggerType.wireName() + " held out";
        }

        /** The id of the trigger it would have been; the event's own id is derived from it. */
        public TriggerHeldOutBuilder triggerId(String triggerId) {
            this.triggerId = triggerId;
            return this;
        }

        public TriggerHeldOutBuilder campaign(String campaignId) {
            this.campaignId = campaignId;
            return this;
        }

        public TriggerHeldOutBuilder reason(String reason) {
            this.reason = reason;
            return this;
        }

        /** The input event the trigger was decided for. */
        public TriggerHeldOutBuilder sourceEventId(String sourceEventId) {
            this.sourceEventId = sourceEventId;
            return this;
        }

        public TriggerHeldOutBuilder orderId(String orderId) {
            this.orderId = orderId;
            return this;
        }

        /** When it was decided: also the event's time. */
        public TriggerHeldOutBuilder heldOutAt(Instant heldOutAt) {
            this.heldOutAt = heldOutAt;
            return this;
        }

        /** With the id campaign-service derives from the trigger's, so a copy built twice is the same event. */
        public EventEnvelope<TriggerHeldOut> build() {
            return EventEnvelope.of(EventIds.derive(triggerId, "trigger.held-out"), CAMPAIGN_SERVICE, heldOutAt,
                    customerId, new TriggerHeldOut(triggerId, triggerType, campaignId, reason, sourceEventId, orderId,
                            heldOutAt));
        }
    }

    public static final class OrderPlacedBuilder {
        private final String customerId;
        private String eventId = UUID.randomUUID().toString();
        private String orderId = "ord-" + UUID.randomUUID();
        private String currency = "EUR";
        private String channel = "web";
        private Instant placedAt = Instant.now();
        private final List<OrderLine> lines = new ArrayList<>();
        private BigDecimal shipping = new BigDecimal("4.95");
        private BigDecimal tax = BigDecimal.ZERO;
        private long pointsRedeemed;
        private BigDecimal pointsRedeemedValue = BigDecimal.ZERO;
        private final List<String> vouchers = new ArrayList<>();
        private String cartId;

        private OrderPlacedBuilder(String customerId) {
            this.customerId = customerId;
        }

        public OrderPlacedBuilder eventId(String eventId) {
            this.eventId = eventId;
            return this;
        }

        public OrderPlacedBuilder orderId(String orderId) {
            this.orderId = orderId;
            return this;
        }

        public OrderPlacedBuilder currency(String currency) {
            this.currency = currency;
            return this;
        }

        public OrderPlacedBuilder placedAt(Instant placedAt) {
            this.placedAt = placedAt;
            return this;
        }

        public OrderPlacedBuilder line(String sku, int quantity, String unitPrice) {
            return line(sku, quantity, unitPrice, null);
        }

        /** A line of the shop's product {@code category} (for earning rules that choose lines by category). */
        public OrderPlacedBuilder line(String sku, int quantity, String unitPrice, String category) {
            BigDecimal price = new BigDecimal(unitPrice);
            lines.add(new OrderLine("l-" + (lines.size() + 1), sku, quantity, price,
                    price.multiply(BigDecimal.valueOf(quantity)), category));
            return this;
        }

        /** The sales channel the order came through ({@code web} unless set). */
        public OrderPlacedBuilder channel(String channel) {
            this.channel = channel;
            return this;
        }

        public OrderPlacedBuilder shipping(String amount) {
            this.shipping = new BigDecimal(amount);
            return this;
        }

        public OrderPlacedBuilder tax(String amount) {
            this.tax = new BigDecimal(amount);
            return this;
        }

        public OrderPlacedBuilder pointsRedeemed(long points, String value) {
            this.pointsRedeemed = points;
            this.pointsRedeemedValue = new BigDecimal(value);
            return this;
        }

        /** A voucher code the order used, as the customer typed it. */
        public OrderPlacedBuilder voucher(String code) {
            vouchers.add(code);
            return this;
        }

        /** The cart the order was placed from (closes it: no cart reminder). */
        public OrderPlacedBuilder cart(String cartId) {
            this.cartId = cartId;
            return this;
        }

        public EventEnvelope<OrderPlaced> build() {
            List<OrderLine> orderLines = lines.isEmpty()
                    ? List.of(new OrderLine("l-1", "sku-1", 1, new BigDecimal("25.00"), new BigDecimal("25.00")))
                    : List.copyOf(lines);
            BigDecimal merchandise = orderLines.stream().map(OrderLine::lineTotal).reduce(BigDecimal.ZERO, BigDecimal::add);
            OrderPlaced data = new OrderPlaced(orderId, placedAt, channel, currency, orderLines, merchandise, shipping,
                    tax, BigDecimal.ZERO, merchandise.add(shipping).add(tax), pointsRedeemed, pointsRedeemedValue,
                    vouchers, cartId);
            return EventEnvelope.of(eventId, SOURCE, placedAt, customerId, data);
        }
    }
}
