package dev.retention.bench;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.testsupport.TestEvents;
import org.apache.kafka.clients.producer.ProducerRecord;

import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/**
 * A shop's events as the platform benchmark sends them. Each customer registers with e-mail consent and then, on the
 * shop's following "days", places up to three orders: each is dispatched and delivered (5 % of first parcels late);
 * 20 % review their first order and 10 % their third; 5 % return half of the first order; 10 % cancel the second
 * before dispatch; half place a third order. About 8.8 events a customer, 30 % of them on {@code orders}.
 * Customers start in blocks of 500, a block a day, so a day's stream mixes sign-ups, first orders and the returning
 * customers of the nine days before, as a shop's does.
 */
final class ShopMix {

    static final int BLOCK = 500;
    static final int DAYS_PER_CUSTOMER = 10;

    private ShopMix() {
    }

    /** The events of {@code customers} customers named {@code <prefix><n>}, in the order a shop sends them. */
    static List<ProducerRecord<String, byte[]>> of(String prefix, int customers) {
        return days(prefix, customers, 0, Integer.MAX_VALUE);
    }

    /**
     * As {@link #of}, from the shop's day {@code from} (inclusive) to {@code to} (exclusive). From day
     * {@value #DAYS_PER_CUSTOMER} - 1 on, every day holds each step of a customer's story: the steady state.
     */
    static List<ProducerRecord<String, byte[]>> days(String prefix, int customers, int from, int to) {
        int blocks = (customers + BLOCK - 1) / BLOCK;
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(customers * 9);
        for (int day = from; day < Math.min(to, blocks + DAYS_PER_CUSTOMER); day++) {
            for (int block = Math.max(0, day - DAYS_PER_CUSTOMER + 1); block <= Math.min(day, blocks - 1); block++) {
                for (int i = block * BLOCK; i < Math.min(customers, (block + 1) * BLOCK); i++) {
                    customerDay(records, prefix + i, i, day - block);
                }
            }
        }
        return records;
    }

    /** What customer number {@code i} does on the {@code day}-th day of their story. */
    private static void customerDay(List<ProducerRecord<String, byte[]>> records, String customer, int i, int day) {
        LocalDate promised = LocalDate.now().plusDays(10); // far enough that no overdue timer fires meanwhile
        String a = customer + "-a";
        String b = customer + "-b";
        String c = customer + "-c";
        switch (day) {
            case 0 -> add(records, Topics.CUSTOMERS, registered(customer));
            case 1 -> add(records, Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(a)
                    .line("sku-" + i % 97, 1 + i % 3, (20 + i % 60) + ".99").build());
            case 2 -> add(records, Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, a, promised));
            case 3 -> {
                add(records, Topics.SHIPMENTS, i % 20 == 7
                        ? TestEvents.shipmentDelayed(customer, a, promised.plusDays(3))
                        : TestEvents.shipmentDelivered(customer, a));
                if (i % 5 == 1) {
                    add(records, Topics.REVIEWS, TestEvents.reviewSubmitted(customer, a, 1 + i % 5));
                }
                if (i % 20 == 9) {
                    add(records, Topics.ORDERS, TestEvents.orderReturned(customer, a, "10.00", "EUR"));
                }
            }
            case 4 -> add(records, Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(b)
                    .line("sku-" + i % 89, 1, (15 + i % 40) + ".50").build());
            case 5 -> add(records, i % 10 == 0 ? Topics.ORDERS : Topics.SHIPMENTS, i % 10 == 0
                    ? TestEvents.orderCancelled(customer, b) : TestEvents.shipmentDispatched(customer, b, promised));
            case 6 -> {
                if (i % 10 != 0) {
                    add(records, Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer, b));
                }
            }
            case 7 -> {
                if (i % 2 == 0) {
                    add(records, Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(c)
                            .line("sku-" + i % 83, 2, (30 + i % 70) + ".00").build());
                }
            }
            case 8 -> {
                if (i % 2 == 0) {
                    add(records, Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, c, promised));
                }
            }
            case 9 -> {
                if (i % 2 == 0) {
                    add(records, Topics.SHIPMENTS, TestEvents.shipmentDelivered(customer, c));
                    if (i % 5 == 3) {
                        add(records, Topics.REVIEWS, TestEvents.reviewSubmitted(customer, c, 4));
                    }
                }
            }
            default -> throw new IllegalArgumentException("day " + day);
        }
    }

    /** What a late parcel needs before it is late: the customer, the order and the dispatch. */
    static List<ProducerRecord<String, byte[]>> beforeDelay(String customer) {
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>();
        add(records, Topics.CUSTOMERS, registered(customer));
        add(records, Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(customer + "-late")
                .line("sku-late", 1, "49.90").build());
        add(records, Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, customer + "-late",
                LocalDate.now().plusDays(10)));
        return records;
    }

    /** The parcel of {@link #beforeDelay}'s order reported late. */
    static ProducerRecord<String, byte[]> delay(String customer) {
        EventEnvelope<?> delayed = TestEvents.shipmentDelayed(customer, customer + "-late", LocalDate.now().plusDays(13));
        return new ProducerRecord<>(Topics.SHIPMENTS, customer, EventEncoder.toStructuredJson(delayed));
    }

    static String email(String customer) {
        return customer + "@example.com";
    }

    private static EventEnvelope<CustomerRegistered> registered(String customer) {
        return TestEvents.envelope(customer, new CustomerRegistered(Instant.now(), email(customer), "Kim", "Test",
                "en-GB", "Europe/London", null, new ChannelConsents(true, false, false, false), null));
    }

    private static void add(List<ProducerRecord<String, byte[]>> records, String topic, EventEnvelope<?> event) {
        records.add(new ProducerRecord<>(topic, event.subject(), EventEncoder.toStructuredJson(event)));
    }
}
