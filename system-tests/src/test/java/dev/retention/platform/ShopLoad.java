package dev.retention.platform;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ChannelConsents;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.testsupport.TestEvents;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A shop's events for {@code n} customers in three phases (profiles, orders, what happened to the orders), with 10 %
 * of the records sent twice and 1 % malformed records among them; and what the platform must make of it, computed
 * here from the shop's side alone (points, spend, triggers, vouchers, mails, dead letters), not by the services' code.
 *
 * <p>Every customer registers with e-mail consent and places order A; some place order B. Then, on disjoint customers:
 * A is half returned, A's parcel is dispatched and reported late, or A is reviewed; half of the B orders are
 * cancelled. Values keep every customer below the first tier's threshold, so no tier change makes the points
 * multiplier depend on timing between services.
 */
final class ShopLoad {

    /** One customer's story and what it must yield. */
    record Customer(String id, int valueA, int valueB, boolean cancelB, boolean returnHalfA, boolean delayed,
                    boolean reviewed) {

        boolean secondOrder() {
            return valueB > 0;
        }

        /** Sign-up bonus 100, review bonus 50 (points-service's defaults). */
        long available() {
            return 100 + (reviewed ? 50 : 0);
        }

        /** One point per euro, pending until the return window closes; a half return takes half of A's points. */
        long pending() {
            return valueA - (returnHalfA ? valueA / 2 : 0) + (secondOrder() && !cancelB ? valueB : 0);
        }

        BigDecimal qualifyingSpend() {
            return BigDecimal.valueOf(pending()).setScale(2);
        }

        int ledgerEntries() {
            return 2 + (secondOrder() ? 1 : 0) + (cancelB ? 1 : 0) + (returnHalfA ? 1 : 0) + (reviewed ? 1 : 0);
        }

        /** Referral invitation with the first order, a delay apology, review thanks. */
        Map<String, Integer> triggers() {
            Map<String, Integer> triggers = new TreeMap<>(Map.of("referral-invitation", 1));
            if (delayed) {
                triggers.put("delay-apology", 1);
            }
            if (reviewed) {
                triggers.put("review-thanks", 1);
            }
            return triggers;
        }

        int vouchers() {
            return delayed ? 1 : 0;
        }
    }

    /** A record as the shop sends it. */
    record Record(String topic, String key, byte[] value) {
    }

    /** Consumer groups of each input topic (a dead letter per group for each malformed record). */
    static final Map<String, List<String>> CONSUMERS = Topics.INPUT.stream().collect(Collectors.toMap(
            topic -> topic, topic -> RunningPlatform.CONSUMED.entrySet().stream()
                    .filter(e -> e.getValue().contains(topic)).map(Map.Entry::getKey).sorted().toList()));

    final List<Customer> customers = new ArrayList<>();
    final List<List<Record>> phases = new ArrayList<>();
    /** Malformed records sent per input topic. */
    final Map<String, Integer> malformed = new TreeMap<>();
    private int sent;

    ShopLoad(String prefix, int n) {
        for (int i = 0; i < n; i++) {
            boolean returnHalfA = i % 10 == 0;
            int valueB = i % 5 == 0 || i % 5 == 2 ? 30 + i % 50 : 0;
            customers.add(new Customer(prefix + "-" + i, 2 * (10 + i % 90), valueB, valueB > 0 && i % 2 == 0,
                    returnHalfA, i % 10 >= 1 && i % 10 <= 3, i % 10 == 4 || i % 10 == 5));
        }
        List<Record> profiles = new ArrayList<>();
        List<Record> orders = new ArrayList<>();
        List<Record> news = new ArrayList<>();
        LocalDate promised = LocalDate.now().plusDays(10); // far enough that no overdue timer fires
        for (Customer c : customers) {
            add(profiles, Topics.CUSTOMERS, TestEvents.envelope(c.id(), new CustomerRegistered(Instant.now(),
                    c.id() + "@example.com", "Kim", "Test", "en-GB", "Europe/London", null,
                    new ChannelConsents(true, false, false, false), null)));
            String orderA = c.id() + "-a";
            add(orders, Topics.ORDERS, TestEvents.orderPlaced(c.id()).orderId(orderA)
                    .line("sku-a", 1, c.valueA() + ".00").build());
            if (c.secondOrder()) {
                add(orders, Topics.ORDERS, TestEvents.orderPlaced(c.id()).orderId(c.id() + "-b")
                        .line("sku-b", 1, c.valueB() + ".00").build());
            }
            if (c.cancelB()) {
                add(news, Topics.ORDERS, TestEvents.orderCancelled(c.id(), c.id() + "-b"));
            }
            if (c.returnHalfA()) {
                add(news, Topics.ORDERS, TestEvents.orderReturned(c.id(), orderA, (c.valueA() / 2) + ".00", "EUR"));
            }
            if (c.delayed()) {
                add(news, Topics.SHIPMENTS, TestEvents.shipmentDispatched(c.id(), orderA, promised));
                add(news, Topics.SHIPMENTS, TestEvents.shipmentDelayed(c.id(), orderA, promised.plusDays(3)));
            }
            if (c.reviewed()) {
                add(news, Topics.REVIEWS, TestEvents.reviewSubmitted(c.id(), orderA, 5));
            }
        }
        phases.add(profiles);
        phases.add(orders);
        phases.add(news);
    }

    /** Adds the record; every tenth also goes out again right after, and every hundredth has a malformed neighbour. */
    private void add(List<Record> phase, String topic, EventEnvelope<?> event) {
        Record record = new Record(topic, event.subject(), EventEncoder.toStructuredJson(event));
        phase.add(record);
        sent++;
        if (sent % 10 == 3) {
            phase.add(record); // the same bytes, the same event id: a redelivery from the shop's side
        }
        if (sent % 100 == 42) {
            String broken = sent % 200 == 42 ? "{\"specversion\":\"1.0\",\"id\":\"broken-" + sent + "\""
                    : "{\"specversion\":\"1.0\",\"id\":\"invalid-" + sent + "\",\"source\":\"/shop\","
                    + "\"type\":\"order.teleported\",\"subject\":\"" + event.subject() + "\",\"time\":\""
                    + Instant.now() + "\",\"data\":{}}";
            phase.add(new Record(topic, event.subject(), broken.getBytes(StandardCharsets.UTF_8)));
            malformed.merge(topic, 1, Integer::sum);
        }
    }

    int records() {
        return phases.stream().mapToInt(List::size).sum();
    }

    /** Dead letters each dead-letter topic must hold. */
    Map<String, Integer> expectedDeadLetters() {
        Map<String, Integer> expected = new TreeMap<>();
        CONSUMERS.forEach((topic, groups) -> groups.forEach(group ->
                expected.put(Topics.deadLetterTopic(topic, group), malformed.getOrDefault(topic, 0))));
        return expected;
    }
}
