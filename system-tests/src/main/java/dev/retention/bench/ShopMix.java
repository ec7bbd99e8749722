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
 * A shop's events as the platform benchmark sends them: per customer a registration with e-mail consent, an order,
 * for 30 % a second order, the first order's parcel dispatched and then delivered (5 % late instead), a review from
 * 20 %, a cancelled second order or a half return from 5 % each, about 4.7 events a customer, a third of them on
 * {@code orders}. Customers come in blocks of 500 and the stream runs in rounds, as a shop's days do: a round holds the
 * registrations of one block, the orders of the block before and what happened to the orders of the block before
 * that.
 */
final class ShopMix {

    private static final int BLOCK = 500;

    private ShopMix() {
    }

    /** The events of {@code customers} customers named {@code <prefix><n>}, in the order a shop sends them. */
    static List<ProducerRecord<String, byte[]>> of(String prefix, int customers) {
        LocalDate promised = LocalDate.now().plusDays(10); // far enough that no overdue timer fires meanwhile
        int blocks = (customers + BLOCK - 1) / BLOCK;
        List<ProducerRecord<String, byte[]>> records = new ArrayList<>(customers * 5);
        for (int round = 0; round < blocks + 2; round++) {
            for (int i = round * BLOCK; i < Math.min(customers, (round + 1) * BLOCK); i++) {
                add(records, Topics.CUSTOMERS, registered(prefix + i));
            }
            for (int i = (round - 1) * BLOCK; i >= 0 && i < Math.min(customers, round * BLOCK); i++) {
                String customer = prefix + i;
                add(records, Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(customer + "-a")
                        .line("sku-" + i % 97, 1 + i % 3, (20 + i % 60) + ".99").build());
                if (i % 10 < 3) {
                    add(records, Topics.ORDERS, TestEvents.orderPlaced(customer).orderId(customer + "-b")
                            .line("sku-" + i % 89, 1, (15 + i % 40) + ".50").build());
                }
            }
            for (int i = (round - 2) * BLOCK; i >= 0 && i < Math.min(customers, (round - 1) * BLOCK); i++) {
                String customer = prefix + i;
                String orderA = customer + "-a";
                add(records, Topics.SHIPMENTS, TestEvents.shipmentDispatched(customer, orderA, promised));
                add(records, Topics.SHIPMENTS, i % 20 == 7
                        ? TestEvents.shipmentDelayed(customer, orderA, promised.plusDays(3))
                        : TestEvents.shipmentDelivered(customer, orderA));
                if (i % 5 == 1) {
                    add(records, Topics.REVIEWS, TestEvents.reviewSubmitted(customer, orderA, 1 + i % 5));
                }
                if (i % 10 == 0) {
                    add(records, Topics.ORDERS, TestEvents.orderCancelled(customer, customer + "-b"));
                } else if (i % 20 == 9) {
                    add(records, Topics.ORDERS, TestEvents.orderReturned(customer, orderA, "10.00", "EUR"));
                }
            }
        }
        return records;
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
