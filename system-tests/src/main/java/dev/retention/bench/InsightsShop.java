package dev.retention.bench;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.events.Money;
import dev.retention.contracts.events.NotificationOutcome;
import dev.retention.contracts.events.PointsChanged;
import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.events.TriggerFired;
import dev.retention.contracts.events.TriggerHeldOut;
import dev.retention.contracts.events.TriggerType;
import dev.retention.contracts.events.VoucherRedeemed;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The events insights-service reads, of a shop with {@code customers} customers over a year (2025-12 to 2026-11), in
 * the order the topics would carry them. Each customer's story has {@value #STEPS} steps about 19 days apart: orders
 * (4.0 a customer, each earning points on the first, fourth, fifth and eighth step), a marketing trigger (win-back,
 * birthday offer or a segment campaign's offer; 5 % held out; a quarter get a second win-back), the e-mail sent for
 * each fired trigger, a voucher redeemed by a fifth of the treated on the order that converts them, points redeemed
 * and expired, a tier on joining for 40 % and an upgrade for 10 %. About 10.2 events a customer: orders 39 %, points
 * 30 %, triggers 12 %, notification outcomes 12 %, tier changes 5 %, vouchers 2 %.
 *
 * <p>Customers start in blocks of {@value #BLOCK}, one block a "round" (a slice of the year); step s of block b is in
 * round b + s * roundsPerStep, so a round mixes every step of the customers of the rounds before, as a shop's day
 * does. The same formulas give the rows a customer's first steps leave in insights-service's tables
 * ({@code InsightsBenchmark.loadHistory}).
 */
final class InsightsShop {

    static final int BLOCK = 500;
    static final int STEPS = 10;
    static final Instant START = Instant.parse("2025-12-01T00:00:00Z");
    static final Duration YEAR = Duration.ofDays(365);

    /** Steps with an order. */
    static final int[] ORDER_STEPS = {0, 1, 3, 4, 7, 8, 9};

    final int customers;
    final int blocks;
    final int roundsPerStep;
    final int rounds;

    InsightsShop(int customers) {
        this.customers = customers;
        this.blocks = (customers + BLOCK - 1) / BLOCK;
        this.roundsPerStep = Math.max(1, blocks / 10);
        this.rounds = blocks + (STEPS - 1) * roundsPerStep;
    }

    /** The first round in which every step happens: from here on the mix is the steady one. */
    int steadyRound() {
        return Math.min(rounds - 1, (STEPS - 1) * roundsPerStep);
    }

    static String customer(int i) {
        return "c-" + i;
    }

    static boolean heldOut(int i, int step) {
        return (i * 31 + step) % 20 == 0;
    }

    static boolean hasOrder(int i, int step) {
        return switch (step) {
            case 0 -> true;
            case 1 -> i % 10 < 7;
            case 3 -> heldOut(i, 2) ? i % 10 < 5 : i % 10 < 6; // the first trigger converts a tenth more
            case 4 -> i % 2 == 0;
            case 7 -> i % 10 < 5;
            case 8 -> i % 10 < 3;
            case 9 -> i % 10 < 4;
            default -> false;
        };
    }

    /** Whole euros, so that the points earned equal the value. */
    static int orderValue(int i, int step) {
        return 20 + (i * 7 + step * 13) % 80;
    }

    static boolean earns(int step) {
        return step == 0 || step == 3 || step == 4 || step == 7;
    }

    static TriggerType firstTrigger(int i) {
        return switch (i % 3) {
            case 0 -> TriggerType.WIN_BACK;
            case 1 -> TriggerType.BIRTHDAY_OFFER;
            default -> TriggerType.SEGMENT_OFFER;
        };
    }

    static String campaign(int i) {
        return i % 3 == 2 ? "spring-" + i % 4 : null;
    }

    static boolean secondTrigger(int i) {
        return i % 4 == 0;
    }

    /** The round in which customer {@code i} takes {@code step}. */
    int round(int i, int step) {
        return i / BLOCK + step * roundsPerStep;
    }

    /**
     * The customer's place in the round, in whole seconds of the shop's year; integer arithmetic, so that
     * {@code InsightsBenchmark.loadHistory} computes the same instant in SQL.
     */
    Instant at(int i, int step) {
        long slot = (long) round(i, step) * BLOCK + i % BLOCK;
        return START.plusSeconds(slot * YEAR.toSeconds() / ((long) rounds * BLOCK));
    }

    /** Sends the records of {@code round} to {@code out}, in order; returns how many. */
    int round(int round, Consumer<ProducerRecord<String, byte[]>> out) {
        int count = 0;
        for (int step = 0; step < STEPS; step++) {
            int block = round - step * roundsPerStep;
            if (block < 0 || block >= blocks) {
                continue;
            }
            for (int i = block * BLOCK; i < Math.min(customers, (block + 1) * BLOCK); i++) {
                count += step(i, step, out);
            }
        }
        return count;
    }

    /** How many records the rounds before {@code round} hold, without encoding them. */
    long countBefore(int round) {
        long[] count = {0};
        for (int r = 0; r < round; r++) {
            for (int step = 0; step < STEPS; step++) {
                int block = r - step * roundsPerStep;
                if (block >= 0 && block < blocks) {
                    for (int i = block * BLOCK; i < Math.min(customers, (block + 1) * BLOCK); i++) {
                        count[0] += step(i, step, null);
                    }
                }
            }
        }
        return count[0];
    }

    /** Customer {@code i}'s events of {@code step}; with a null {@code out}, only counts them. */
    private int step(int i, int step, Consumer<ProducerRecord<String, byte[]>> out) {
        Emitter emit = new Emitter(i, step, out);
        String customer = customer(i);
        Instant at = at(i, step);
        if (hasOrder(i, step)) {
            String orderId = "o-" + i + "-" + step;
            emit.event(Topics.ORDERS, () -> TestEvents.orderPlaced(customer).eventId(emit.nextId()).orderId(orderId)
                    .placedAt(at).shipping("0.00").line("sku-" + i % 97, 1, orderValue(i, step) + ".00").build());
            if (earns(step)) {
                emit.points(PointsChanged.Kind.EARNED, orderValue(i, step), balanceAfter(i, step), orderId,
                        at.plusSeconds(5));
            }
            if (step == 3 && !heldOut(i, 2) && i % 10 < 2) {
                TriggerType type = firstTrigger(i);
                emit.event(Topics.RETENTION_TRIGGERS, () -> envelope(emit.nextId(), customer, at,
                        new VoucherRedeemed("BENCH-" + i, triggerId(i, 2), type, campaign(i), orderId,
                                VoucherRedeemed.Source.ORDER, Money.of(orderValue(i, step) + ".00", "EUR"),
                                Money.of("5.00", "EUR"), at)));
            }
        }
        if (step == 2 || (step == 6 && secondTrigger(i))) {
            TriggerType type = step == 2 ? firstTrigger(i) : TriggerType.WIN_BACK;
            String campaign = step == 2 ? campaign(i) : null;
            String triggerId = triggerId(i, step);
            if (heldOut(i, step)) {
                emit.event(Topics.RETENTION_TRIGGERS, () -> envelope(emit.nextId(), customer, at,
                        new TriggerHeldOut(triggerId, type, campaign, "bench", "source-" + triggerId, null, at)));
            } else {
                emit.event(Topics.RETENTION_TRIGGERS, () -> envelope(emit.nextId(), customer, at,
                        new TriggerFired(triggerId, type, campaign, "bench", "source-" + triggerId, null, null,
                                Map.of(), at)));
                Instant sentAt = at.plusSeconds(60);
                emit.event(Topics.RETENTION_NOTIFICATIONS, () -> envelope(emit.nextId(), customer, sentAt,
                        new NotificationOutcome("n-" + triggerId, triggerId, type, "email",
                                NotificationOutcome.Outcome.SENT, null, "en", 1, sentAt)));
            }
        }
        if (step == 0 && i % 5 < 2) {
            emit.event(Topics.LOYALTY_TIER_CHANGES, () -> envelope(emit.nextId(), customer, at.plusSeconds(10),
                    new TierChanged(null, "bronze", TierChanged.Direction.INITIAL, "bench", Money.of("0.00", "EUR"),
                            at.plusSeconds(10))));
        }
        if (step == 5) {
            long before = balanceAfter(i, 4);
            if (i % 3 == 0 && before > 0) {
                emit.points(PointsChanged.Kind.REDEEMED, -Math.min(before, 50), balanceAfter(i, 5), null, at);
            }
            if (i % 10 == 0) {
                emit.event(Topics.LOYALTY_TIER_CHANGES, () -> envelope(emit.nextId(), customer, at,
                        new TierChanged("bronze", "silver", TierChanged.Direction.UP, "bench",
                                Money.of("500.00", "EUR"), at)));
            }
        }
        if (step == 8 && i % 7 == 0 && balanceAfter(i, 7) > 0) {
            emit.points(PointsChanged.Kind.EXPIRED, -balanceAfter(i, 7), 0, null, at.plusSeconds(30));
        }
        return emit.count;
    }

    static String triggerId(int i, int step) {
        return "t-" + i + "-" + step;
    }

    /** Available points after the customer's points events up to and including {@code step}. */
    static long balanceAfter(int i, int step) {
        long available = 0;
        for (int s = 0; s <= step; s++) {
            if (earns(s) && hasOrder(i, s)) {
                available += orderValue(i, s);
            }
            if (s == 5 && i % 3 == 0) {
                available -= Math.min(available, 50);
            }
            if (s == 8 && i % 7 == 0) {
                available = 0;
            }
        }
        return available;
    }

    private static <T extends EventData> EventEnvelope<T> envelope(String id, String customer, Instant at, T data) {
        return EventEnvelope.of(id, "/bench/shop", at, customer, data);
    }

    /** Encodes and sends a step's events, or only counts them; event ids are the customer, step and a sequence. */
    private static final class Emitter {
        private final int customer;
        private final int step;
        private final Consumer<ProducerRecord<String, byte[]>> out;
        private int count;

        Emitter(int customer, int step, Consumer<ProducerRecord<String, byte[]>> out) {
            this.customer = customer;
            this.step = step;
            this.out = out;
        }

        String nextId() {
            return "e-" + customer + "-" + step + "-" + count;
        }

        void event(String topic, java.util.function.Supplier<EventEnvelope<?>> event) {
            if (out != null) {
                EventEnvelope<?> envelope = event.get();
                out.accept(new ProducerRecord<>(topic, envelope.subject(), EventEncoder.toStructuredJson(envelope)));
            }
            count++;
        }

        void points(PointsChanged.Kind kind, long points, long availableAfter, String orderId, Instant at) {
            String customerId = customer(customer);
            event(Topics.LOYALTY_POINTS, () -> {
                String id = nextId();
                return envelope(id, customerId, at, new PointsChanged("entry-" + id, kind, points, availableAfter, 0,
                        0, orderId, "bench", "cause-" + id, at));
            });
        }
    }
}
