package dev.retention.bench;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.CustomerRegistered;
import dev.retention.contracts.events.OrderPlaced;
import dev.retention.contracts.events.ShipmentDelivered;
import dev.retention.contracts.events.ShipmentDispatched;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The benchmark's load is what it claims to be: a shop's stories in order, with the stated mix. */
class ShopMixTest {

    @Test
    void everyCustomerRegistersThenOrdersThenTheParcelIsDispatchedThenDelivered() {
        List<EventEnvelope<?>> events = decode(ShopMix.of("c-", 2_000));
        Map<String, List<String>> story = new HashMap<>();
        for (EventEnvelope<?> event : events) {
            String step = event.data() instanceof CustomerRegistered ? "registered"
                    : event.data() instanceof OrderPlaced placed && placed.orderId().endsWith("-a") ? "ordered"
                    : event.data() instanceof ShipmentDispatched d && d.orderId().endsWith("-a") ? "dispatched"
                    : event.data() instanceof ShipmentDelivered d && d.orderId().endsWith("-a") ? "delivered" : null;
            if (step != null) {
                story.computeIfAbsent(event.customerId(), c -> new ArrayList<>()).add(step);
            }
        }
        assertThat(story).hasSize(2_000);
        assertThat(story.get("c-0")).containsExactly("registered", "ordered", "dispatched", "delivered");
        assertThat(story.get("c-7")).containsExactly("registered", "ordered", "dispatched"); // its parcel is late
        assertThat(story.values()).allSatisfy(steps -> assertThat(steps).startsWith("registered", "ordered"));
    }

    @Test
    void aboutNineEventsACustomerAThirdOfThemOrders() {
        List<ProducerRecord<String, byte[]>> records = ShopMix.of("c-", 2_000);
        long orders = records.stream().filter(r -> r.topic().equals(Topics.ORDERS)).count();
        assertThat(records.size() / 2_000.0).isBetween(8.0, 9.5);
        assertThat((double) orders / records.size()).isBetween(0.25, 0.35);
        assertThat(records).allSatisfy(r -> assertThat(r.key()).startsWith("c-"));
    }

    @Test
    void theSteadyStateMixesReturningCustomersWithFewerSignUpsThanTheFirstDays() {
        int steadyDay = ShopMix.DAYS_PER_CUSTOMER - 1;
        List<ProducerRecord<String, byte[]>> firstDays = ShopMix.days("c-", 10_000, 0, steadyDay);
        List<ProducerRecord<String, byte[]>> steady = ShopMix.days("c-", 10_000, steadyDay, Integer.MAX_VALUE);
        assertThat(firstDays.size() + steady.size()).isEqualTo(ShopMix.of("c-", 10_000).size());
        assertThat(signUpShare(firstDays)).isGreaterThan(0.18);
        assertThat(signUpShare(steady)).isBetween(0.05, 0.15);
    }

    private static double signUpShare(List<ProducerRecord<String, byte[]>> records) {
        return (double) records.stream().filter(r -> r.topic().equals(Topics.CUSTOMERS)).count() / records.size();
    }

    @Test
    void theConsumerPerfToolsFetchRateIsReadPastItsLogLines() {
        String output = """
                [main] INFO org.apache.kafka.tools.ConsumerPerformance - Starting consumer...
                start.time, end.time, data.consumed.in.MB, MB.sec, data.consumed.in.nMsg, nMsg.sec, rebalance.time.ms, fetch.time.ms, fetch.MB.sec, fetch.nMsg.sec
                [main] INFO org.apache.kafka.clients.consumer.internals.ConsumerCoordinator - Revoke previously assigned partitions
                2026-12-01 07:16:52:101, 2026-12-01 07:16:55:013, 45.1, 15.5, 93000, 31936.8, 2400, 512, 88.1, 181640.6
                """;
        assertThat(PlatformBenchmark.consumerPerfRate(output)).isEqualTo(181640.6);
    }

    private static List<EventEnvelope<?>> decode(List<ProducerRecord<String, byte[]>> records) {
        EventDecoder decoder = new EventDecoder();
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (ProducerRecord<String, byte[]> record : records) {
            DecodeResult result = decoder.decode(record.topic(), record.key(), record.value(), Map.of());
            assertThat(result).isInstanceOf(DecodeResult.Decoded.class);
            events.add(((DecodeResult.Decoded) result).event());
        }
        return events;
    }
}
