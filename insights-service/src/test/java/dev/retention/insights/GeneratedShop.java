package dev.retention.insights;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.testsupport.TestEvents;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * A shop whose truth is known: win-back converts exactly 25 % of the treated and 20 % of the held-out customers
 * (5 percentage points of uplift), the birthday offer 20 % of both (none). Every customer also ordered before the
 * trigger, and some order again after the conversion window; some earn, redeem and lose points, and move up a tier.
 * The events go to their topics; the test computes the measures from the same events by the definitions.
 */
final class GeneratedShop {

    static final Instant FIRST_EXPOSURE = Instant.parse("2026-02-01T00:00:00Z");
    static final Duration WINDOW = Duration.ofDays(30);

    /** Every event by topic, in publishing order. */
    final Map<String, List<EventEnvelope<?>>> byTopic = new LinkedHashMap<>();
    final List<EventEnvelope<OrderPlaced>> orders = new ArrayList<>();
    final List<EventEnvelope<PointsChanged>> points = new ArrayList<>();
    final List<EventEnvelope<TierChanged>> tierChanges = new ArrayList<>();
    /** Exposures: trigger type, held out, customer, time. */
    final List<Exposure> exposures = new ArrayList<>();

    record Exposure(String triggerId, String triggerType, boolean heldOut, String customerId, Instant at) {
    }

    private final Random random;
    private int sequence;

    GeneratedShop(long seed) {
        this.random = new Random(seed);
        Topics.INPUT.forEach(topic -> byTopic.put(topic, new ArrayList<>()));
        Topics.OUTPUT.forEach(topic -> byTopic.put(topic, new ArrayList<>()));
        arm(TriggerType.WIN_BACK, "wb-t", false, 2_000, 500);
        arm(TriggerType.WIN_BACK, "wb-h", true, 1_000, 200);
        arm(TriggerType.BIRTHDAY_OFFER, "bd-t", false, 1_000, 200);
        arm(TriggerType.BIRTHDAY_OFFER, "bd-h", true, 1_000, 200);
        for (int i = 0; i < 300; i++) {
            ledger("wb-t-" + i);
        }
    }

    /** {@code customers} customers of one arm; the first {@code converting} order within the window. */
    private void arm(TriggerType type, String prefix, boolean heldOut, int customers, int converting) {
        for (int i = 0; i < customers; i++) {
            String customer = prefix + "-" + i;
            Instant at = FIRST_EXPOSURE.plusSeconds(random.nextInt(120 * 86_400));
            order(customer, at.minus(Duration.ofDays(60 + random.nextInt(300))));
            String triggerId = "trigger-" + customer + "-" + type.wireName();
            exposures.add(new Exposure(triggerId, type.wireName(), heldOut, customer, at));
            if (heldOut) {
                add(Topics.RETENTION_TRIGGERS, envelope(customer, at, new TriggerHeldOut(triggerId, type,
                        null, "test", "source-" + customer, null, at)));
            } else {
                add(Topics.RETENTION_TRIGGERS, envelope(customer, at, new TriggerFired(triggerId, type, null, "test",
                        "source-" + customer, null, null, Map.of(), at)));
                add(Topics.RETENTION_NOTIFICATIONS, envelope(customer, at.plusSeconds(60), new NotificationOutcome(
                        "n-" + triggerId, triggerId, type, "email", NotificationOutcome.Outcome.SENT, null, "en", 1,
                        at.plusSeconds(60))));
                if (i % 10 == 0) { // a second channel: the trigger counts as sent once
                    add(Topics.RETENTION_NOTIFICATIONS, envelope(customer, at.plusSeconds(90), new NotificationOutcome(
                            "w-" + triggerId, triggerId, type, "webhook", NotificationOutcome.Outcome.SENT, null, "en",
                            1, at.plusSeconds(90))));
                }
            }
            if (i < converting) {
                Instant placed = at.plus(Duration.ofDays(1 + random.nextInt(28)));
                order(customer, placed);
                if (!heldOut && type == TriggerType.WIN_BACK) {
                    add(Topics.RETENTION_TRIGGERS, envelope(customer, placed, new VoucherRedeemed("BACK-" + i,
                            triggerId, type, null, "o-" + customer + "-x", VoucherRedeemed.Source.ORDER,
                            Money.of("50.00", "EUR"), Money.of("5.00", "EUR"), placed)));
                }
            } else if (random.nextInt(10) < 3) {
                order(customer, at.plus(Duration.ofDays(31 + random.nextInt(60))));
            }
        }
    }

    private void order(String customer, Instant placedAt) {
        String price = (20 + random.nextInt(100)) + "." + (10 + random.nextInt(90));
        EventEnvelope<OrderPlaced> order = TestEvents.orderPlaced(customer).orderId("o-" + customer + "-" + sequence++)
                .placedAt(placedAt).line("sku-" + random.nextInt(50), 1, price).build();
        orders.add(order);
        add(Topics.ORDERS, order);
    }

    /** Earns at once, earns pending later released, redeems some, and loses some to expiry; bronze, then silver. */
    private void ledger(String customer) {
        long available = 0;
        long pending = 0;
        Instant at = Instant.parse("2026-01-05T10:00:00Z").plusSeconds(random.nextInt(20 * 86_400));
        long earned = 100 + random.nextInt(400);
        available += earned;
        entry(customer, PointsChanged.Kind.EARNED, earned, available, pending, at);
        long later = 50 + random.nextInt(100);
        pending += later;
        at = at.plus(Duration.ofDays(10 + random.nextInt(40)));
        entry(customer, PointsChanged.Kind.EARNED_PENDING, later, available, pending, at);
        if (random.nextBoolean()) {
            pending -= later;
            available += later;
            at = at.plus(Duration.ofDays(14));
            entry(customer, PointsChanged.Kind.RELEASED, later, available, pending, at);
        }
        if (random.nextInt(3) > 0) {
            long redeemed = Math.min(available, 50 + random.nextInt(200));
            available -= redeemed;
            at = at.plus(Duration.ofDays(5 + random.nextInt(30)));
            entry(customer, PointsChanged.Kind.REDEEMED, -redeemed, available, pending, at);
        }
        if (random.nextInt(4) == 0 && available > 0) {
            long expired = available;
            available = 0;
            at = at.plus(Duration.ofDays(30 + random.nextInt(30)));
            entry(customer, PointsChanged.Kind.EXPIRED, -expired, available, pending, at);
        }
        Instant initial = Instant.parse("2026-01-02T00:00:00Z").plusSeconds(random.nextInt(60 * 86_400));
        tier(customer, null, "bronze", TierChanged.Direction.INITIAL, initial);
        if (random.nextInt(5) < 2) {
            tier(customer, "bronze", "silver", TierChanged.Direction.UP,
                    initial.plus(Duration.ofDays(20 + random.nextInt(80))));
        }
    }

    private void entry(String customer, PointsChanged.Kind kind, long points, long available, long pending,
                       Instant at) {
        String entryId = "entry-" + sequence++;
        EventEnvelope<PointsChanged> event = envelope(customer, at, new PointsChanged(entryId, kind, points,
                available, pending, 0, null, "test", "cause-" + entryId, at, null));
        this.points.add(event);
        add(Topics.LOYALTY_POINTS, event);
    }

    private void tier(String customer, String from, String to, TierChanged.Direction direction, Instant at) {
        EventEnvelope<TierChanged> event = envelope(customer, at, new TierChanged(from, to, direction, "test",
                Money.of("100.00", "EUR"), at));
        tierChanges.add(event);
        add(Topics.LOYALTY_TIER_CHANGES, event);
    }

    private void add(String topic, EventEnvelope<?> event) {
        byTopic.get(topic).add(event);
    }

    private <T extends dev.retention.contracts.events.EventData> EventEnvelope<T> envelope(String customer, Instant at,
                                                                                          T data) {
        return EventEnvelope.of("event-" + sequence++, "/test/shop", at, customer, data);
    }

    static BigDecimal revenue(EventEnvelope<OrderPlaced> order) {
        return order.data().orderTotal();
    }
}
