package dev.retention.eventing;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.retention.contracts.ContractJson;
import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.Topics;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;
import net.jpountz.lz4.LZ4Factory;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The kit's guarantees through the real path: SmallRye batch consumer, real broker, real PostgreSQL. */
@QuarkusTest
@QuarkusTestResource(value = RetentionTestResources.class, restrictToAnnotatedClass = true)
class EventingKitTest {

    private static final String DLQ = Topics.deadLetterTopic(Topics.ORDERS, "eventing-test");
    private static KafkaTestClient kafka;

    @Inject
    Pool pool;

    @Inject
    MeterRegistry registry;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void everyEventIsAppliedOnceAndItsDerivedEventPublished() {
        String customer = newCustomer();
        List<EventEnvelope<?>> orders = IntStream.range(0, 40)
                .<EventEnvelope<?>>mapToObj(i -> TestEvents.orderPlaced(customer).line("sku", 1, "10.00").build())
                .toList();

        kafka.publishAll(Topics.ORDERS, orders);

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) == 40);
        List<ConsumerRecord<String, byte[]>> published = awaitRecords(Topics.LOYALTY_POINTS, customer, 40);
        assertThat(published).extracting(r -> eventId(r.value()))
                .containsExactlyElementsOf(orders.stream().map(o -> EventIds.derive(o.id(), "test.points")).toList());
    }

    @Test
    void kafkaCompressesAndDecompressesLz4Natively() {
        // What Kafka's Lz4BlockOutputStream and Lz4BlockInputStream ask for, from the application's class loader.
        assertThat(LZ4Factory.fastestInstance()).isSameAs(LZ4Factory.nativeInstance());
        assertThat(NativeLz4.isNative()).isTrue();
    }

    @Test
    void aStructuredEventWithItsContentTypeHeaderIsAppliedAsAnOutboxWritesIt() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 1, "10.00").build();

        // What every service's outbox relay publishes: structured mode with the CloudEvents content type.
        kafka.send(Topics.ORDERS, customer, dev.retention.contracts.EventEncoder.toStructuredJson(order),
                java.util.Map.of("content-type", dev.retention.contracts.EventEncoder.CONTENT_TYPE
                        .getBytes(java.nio.charset.StandardCharsets.UTF_8)));

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) == 1);
    }

    @Test
    void duplicatedEventChangesNothing() {
        String customer = newCustomer();
        EventEnvelope<?> order = TestEvents.orderPlaced(customer).line("sku", 2, "15.00").build();
        EventEnvelope<?> marker = TestEvents.orderPlaced(customer).build();

        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.ORDERS, order);
        kafka.publish(Topics.ORDERS, marker);

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) >= 2);
        assertThat(ledgerRows(customer)).isEqualTo(2);
        assertThat(awaitRecords(Topics.LOYALTY_POINTS, customer, 2)).hasSize(2);
    }

    @Test
    void poisonRecordGoesToTheDeadLetterTopicAndTheBatchGoesOn() {
        String customer = newCustomer();
        byte[] poison = "{\"specversion\":\"1.0\", not json".getBytes(StandardCharsets.UTF_8);

        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build());
        kafka.send(Topics.ORDERS, customer, poison, Map.of("trace", "abc".getBytes(StandardCharsets.UTF_8)));
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) == 2);
        ConsumerRecord<String, byte[]> deadLetter = awaitRecords(DLQ, customer, 1).get(0);
        assertThat(deadLetter.value()).isEqualTo(poison);
        assertThat(header(deadLetter, DeadLetters.REASON)).isEqualTo("INVALID_JSON");
        assertThat(header(deadLetter, DeadLetters.SOURCE_TOPIC)).isEqualTo(Topics.ORDERS);
        assertThat(header(deadLetter, DeadLetters.SOURCE_OFFSET)).matches("\\d+");
        assertThat(header(deadLetter, DeadLetters.SOURCE_PARTITION)).matches("\\d+");
        assertThat(header(deadLetter, DeadLetters.CONSUMER_GROUP)).isEqualTo("eventing-test");
        assertThat(header(deadLetter, DeadLetters.DETAIL)).isNotBlank();
        assertThat(header(deadLetter, "trace")).isEqualTo("abc");
    }

    @Test
    void schemaInvalidEventIsDeadLetteredWithTheField() throws Exception {
        String customer = newCustomer();
        var json = (com.fasterxml.jackson.databind.node.ObjectNode) ContractJson.mapper()
                .readTree(EventEncoder.toStructuredJson(TestEvents.orderPlaced(customer).build()));
        ((com.fasterxml.jackson.databind.node.ObjectNode) json.get("data")).put("merchandiseTotal", 25.0);

        kafka.send(Topics.ORDERS, customer, ContractJson.mapper().writeValueAsBytes(json), Map.of());

        ConsumerRecord<String, byte[]> deadLetter = awaitRecords(DLQ, customer, 1).get(0);
        assertThat(header(deadLetter, DeadLetters.REASON)).isEqualTo("SCHEMA_VIOLATION");
        assertThat(header(deadLetter, DeadLetters.FIELD)).isEqualTo("$.data.merchandiseTotal");
        assertThat(ledgerRows(customer)).isZero();
    }

    @Test
    void eventRefusedByTheServiceRulesIsDeadLetteredAlone() {
        String customer = newCustomer();

        kafka.publishAll(Topics.ORDERS, List.of(
                TestEvents.orderPlaced(customer).build(),
                TestEvents.orderPlaced(customer).orderId("reject-" + UUID.randomUUID()).build(),
                TestEvents.orderPlaced(customer).orderId("violate-" + UUID.randomUUID()).build(),
                TestEvents.orderPlaced(customer).build()));

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) == 2);
        List<ConsumerRecord<String, byte[]>> deadLetters = awaitRecords(DLQ, customer, 2);
        assertThat(deadLetters).extracting(r -> header(r, DeadLetters.REASON))
                .containsOnly("PROCESSING_ERROR");
        assertThat(deadLetters).extracting(r -> header(r, DeadLetters.DETAIL))
                .anySatisfy(detail -> assertThat(detail).contains("refused by the test rule"))
                .anySatisfy(detail -> assertThat(detail).contains("order_id_not_violating"));
        assertThat(awaitRecords(Topics.LOYALTY_POINTS, customer, 2)).hasSize(2);
    }

    @Test
    void recordsOfTypesTheHandlerDoesNotActOnArePassedOverUnreadAndRecordsOfUnknownTypesAreNot() throws Exception {
        String customer = newCustomer();
        EventEnvelope<?> cancelled = TestEvents.orderCancelled(customer, "o-" + UUID.randomUUID());
        ObjectNode invalidReturn = (ObjectNode) ContractJson.mapper()
                .readTree(EventEncoder.toStructuredJson(TestEvents.orderReturned(customer, "o-1", "5.00", "EUR")));
        ((ObjectNode) invalidReturn.get("data")).put("refundedAmount", -5);
        byte[] unknownType = ("{\"specversion\":\"1.0\",\"id\":\"e-" + UUID.randomUUID() + "\",\"source\":\"/shop\","
                + "\"type\":\"order.teleported\",\"subject\":\"" + customer + "\",\"time\":\"2026-01-01T00:00:00Z\","
                + "\"data\":{}}").getBytes(StandardCharsets.UTF_8);
        double passedOverBefore = passedOver();

        kafka.publish(Topics.ORDERS, cancelled);
        kafka.send(Topics.ORDERS, customer, ContractJson.mapper().writeValueAsBytes(invalidReturn), Map.of());
        kafka.send(Topics.ORDERS, customer, unknownType, Map.of());
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) == 1);
        // Same key, same partition: the order after them was applied, so the three were read before it.
        assertThat(awaitRecords(DLQ, customer, 1)).as("only the unknown type is dead-lettered")
                .extracting(r -> header(r, DeadLetters.REASON)).containsExactly("UNKNOWN_TYPE");
        assertThat(pool.preparedQuery("SELECT count(*) FROM eventing_inbox WHERE event_id = $1")
                .executeAndAwait(Tuple.of(cancelled.id())).iterator().next().getLong(0))
                .as("no inbox row for a passed-over event").isZero();
        assertThat(passedOver() - passedOverBefore).isEqualTo(2.0);
    }

    @Test
    void aRecordOfATypeTheHandlerDoesNotActOnIsStillDeadLetteredWhenItIsOnAnotherTypesTopic() {
        String customer = newCustomer();
        double passedOverBefore = passedOver();

        kafka.publish(Topics.ORDERS, TestEvents.shipmentDelayed(customer, "o-1", LocalDate.now().plusDays(2)));
        kafka.publish(Topics.ORDERS, TestEvents.orderPlaced(customer).build());

        await().atMost(Duration.ofSeconds(30)).until(() -> ledgerRows(customer) == 1);
        assertThat(awaitRecords(DLQ, customer, 1)).extracting(r -> header(r, DeadLetters.REASON))
                .containsExactly("WRONG_TOPIC");
        assertThat(passedOver() - passedOverBefore).isZero();
    }

    private long ledgerRows(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM test_ledger WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next().getLong(0);
    }

    /** Waits until {@code expected} records of the customer are on the topic, then reads a little longer for extras. */
    private static List<ConsumerRecord<String, byte[]>> awaitRecords(String topic, String customer, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ofCustomer(topic, customer).size() >= expected);
        try {
            Thread.sleep(500);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return ofCustomer(topic, customer);
    }

    private static List<ConsumerRecord<String, byte[]>> ofCustomer(String topic, String customer) {
        kafka.createTopics(3, topic);
        return kafka.readAll(topic).stream().filter(r -> customer.equals(r.key())).toList();
    }

    /** The kit's counter of passed-over records, read from the service's own meter registry. */
    private double passedOver() {
        return registry.find("retention.events.passed.over").counters().stream().mapToDouble(Counter::count).sum();
    }

    static String header(ConsumerRecord<String, byte[]> record, String name) {
        Header header = record.headers().lastHeader(name);
        return header == null ? null : new String(header.value(), StandardCharsets.UTF_8);
    }

    static String eventId(byte[] json) {
        try {
            return ContractJson.mapper().readTree(json).get("id").asText();
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String newCustomer() {
        return "c-" + UUID.randomUUID();
    }
}
