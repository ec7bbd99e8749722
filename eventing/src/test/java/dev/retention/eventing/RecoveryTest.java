package dev.retention.eventing;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.EventType;
import dev.retention.contracts.Topics;
import dev.retention.testsupport.KafkaTestClient;
import dev.retention.testsupport.LockWaits;
import dev.retention.testsupport.RetentionTestResources;
import dev.retention.testsupport.TestEvents;
import dev.retention.testsupport.TestKafka;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What happens around failures: a batch delivered twice, a consumer that dies between the database commit and the
 * offset commit, a broker that goes away while the outbox has records. The service's own channel is off here; the
 * tests drive the processor with plain Kafka consumers, the way SmallRye would after a crash.
 */
@QuarkusTest
@TestProfile(RecoveryTest.ChannelOff.class)
class RecoveryTest {

    private static KafkaTestClient kafka;

    @Inject
    Pool pool;
    @Inject
    EventBatchProcessor processor;
    @Inject
    TestLedgerHandler handler;

    @BeforeAll
    static void connect() {
        kafka = KafkaTestClient.forTestBroker();
        // Created, not left to auto-creation: run alone, the first send to an auto-created topic met
        // NotLeaderOrFollower until it gave up (120 s).
        kafka.createTopics(3, Topics.ORDERS, Topics.LOYALTY_POINTS);
    }

    @AfterAll
    static void disconnect() {
        kafka.close();
    }

    @Test
    void redeliveredBatchChangesNothing() {
        String customer = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> orders = orders(customer, 20);
        List<InboundRecord> batch = asRecords(orders);

        EventBatchProcessor.BatchResult first = processor.process(batch, handler).await().atMost(Duration.ofSeconds(30));
        EventBatchProcessor.BatchResult again = processor.process(batch, handler).await().atMost(Duration.ofSeconds(30));

        assertThat(first.applied()).isEqualTo(20);
        assertThat(again.applied()).isZero();
        assertThat(again.duplicates()).isEqualTo(20);
        assertThat(ledgerRows(customer)).isEqualTo(20);
        assertThat(ledgerSum(customer)).isEqualTo(orders.size() * 25L);
        assertThat(publishedRecordIds(customer, 20)).containsExactlyInAnyOrderElementsOf(derivedIds(orders));
    }

    @Test
    void anEventTypeTheHandlerDeduplicatesByItsEffectRowTakesNoInboxRowAndItsRedeliveryChangesNothing() {
        String customer = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> orders = new ArrayList<>(orders(customer, 20));
        orders.add(TestEvents.orderPlaced(customer).orderId("reject-" + UUID.randomUUID()).build());
        List<InboundRecord> batch = asRecords(orders);

        EventBatchProcessor.BatchResult first = processor.process(batch, ledgerDeduplicatedByItsKey)
                .await().atMost(Duration.ofSeconds(30));
        EventBatchProcessor.BatchResult again = processor.process(batch, ledgerDeduplicatedByItsKey)
                .await().atMost(Duration.ofSeconds(30));

        assertThat(first.applied()).isEqualTo(20);
        assertThat(first.deadLettered()).isEqualTo(1);
        assertThat(again.written()).as("nothing published or dead-lettered again").isZero();
        assertThat(ledgerRows(customer)).isEqualTo(20);
        assertThat(publishedRecordIds(customer, 20)).containsExactlyInAnyOrderElementsOf(derivedIds(orders.subList(0, 20)));
        assertThat(inboxRows(orders.subList(0, 20))).as("inbox rows of events deduplicated by their effect").isZero();
        assertThat(inboxRows(orders.subList(20, 21))).as("the dead-lettered one is claimed, as every dead letter")
                .isEqualTo(1);
        List<EventEnvelope<?>> claimedAsUsual = orders("c-" + UUID.randomUUID(), 3);
        processor.process(asRecords(claimedAsUsual), handler).await().atMost(Duration.ofSeconds(30));
        assertThat(inboxRows(claimedAsUsual)).as("the same type through a handler that does not claim it itself")
                .isEqualTo(3);
    }

    /** TestLedgerHandler's ledger deduplicated by its own key (the event id is {@code test_ledger}'s primary key). */
    private final BatchHandler ledgerDeduplicatedByItsKey = new BatchHandler() {
        @Override
        public Set<EventType> eventTypes() {
            return handler.eventTypes();
        }

        @Override
        public Set<EventType> deduplicatedByEffect() {
            return EnumSet.of(EventType.ORDER_PLACED);
        }

        @Override
        public Uni<List<EventEnvelope<?>>> apply(SqlConnection transaction, List<EventEnvelope<?>> events) {
            return transaction.preparedQuery("SELECT event_id FROM test_ledger WHERE event_id = ANY($1::text[])")
                    .execute(Tuple.tuple().addArrayOfString(events.stream().map(EventEnvelope::id)
                            .toArray(String[]::new)))
                    .flatMap(rows -> {
                        Set<String> applied = new HashSet<>();
                        rows.forEach(row -> applied.add(row.getString(0)));
                        return handler.apply(transaction, events.stream().filter(e -> !applied.contains(e.id()))
                                .toList());
                    });
        }
    };

    private long inboxRows(List<EventEnvelope<?>> events) {
        return pool.preparedQuery("SELECT count(*) FROM eventing_inbox WHERE event_id = ANY($1::text[])")
                .executeAndAwait(Tuple.tuple().addArrayOfString(events.stream().map(EventEnvelope::id)
                        .toArray(String[]::new))).iterator().next().getLong(0);
    }

    @Test
    void crashBetweenDatabaseCommitAndOffsetCommitLosesAndDoublesNothing() {
        String customer = "c-" + UUID.randomUUID();
        String topic = Topics.ORDERS;
        String group = "crash-test-" + UUID.randomUUID();
        List<EventEnvelope<?>> orders = orders(customer, 30);
        kafka.createTopics(3, topic);
        kafka.publishAll(topic, orders);

        // The first consumer applies everything and commits the database, then dies before committing offsets.
        try (KafkaConsumer<String, byte[]> doomed = consumer(group)) {
            List<InboundRecord> polled = pollCustomer(doomed, topic, customer, 30);
            processor.process(polled, handler).await().atMost(Duration.ofSeconds(30));
        }
        // Its successor gets the same records again from the last committed offset (none).
        EventBatchProcessor.BatchResult redelivered;
        try (KafkaConsumer<String, byte[]> successor = consumer(group)) {
            List<InboundRecord> polled = pollCustomer(successor, topic, customer, 30);
            redelivered = processor.process(polled, handler).await().atMost(Duration.ofSeconds(30));
            successor.commitSync();
        }

        assertThat(redelivered.applied()).isZero();
        assertThat(redelivered.duplicates()).isEqualTo(30);
        assertThat(ledgerRows(customer)).isEqualTo(30);
        assertThat(publishedRecordIds(customer, 30)).hasSize(30).containsExactlyInAnyOrderElementsOf(derivedIds(orders));
    }

    @Test
    void outboxSurvivesABrokerOutageWithoutLoss() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> orders = orders(customer, 10);
        kafka.createTopics(3, Topics.LOYALTY_POINTS);

        TestKafka.broker().stop();
        try {
            processor.process(asRecords(orders), handler).await().atMost(Duration.ofSeconds(30));
            Thread.sleep(2000);
            assertThat(ledgerRows(customer)).isEqualTo(10);
            assertThat(outboxRecords()).isEqualTo(10);
        } finally {
            TestKafka.broker().start();
        }

        await().atMost(Duration.ofSeconds(60)).until(() -> outboxRecords() == 0);
        List<String> published = publishedRecordIds(customer, 10);
        // Every event arrived; if the relay had to republish, the copies carry the same ids.
        assertThat(Set.copyOf(published)).containsExactlyInAnyOrderElementsOf(derivedIds(orders));
    }

    @Test
    void anEventAnotherConsumerClaimsWhileTheBatchRunsIsLeftToIt() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        List<EventEnvelope<?>> orders = orders(customer, 3);
        // A consumer that still held the partition during a rebalance claims the second event and has not committed.
        io.vertx.mutiny.sqlclient.SqlConnection other = pool.getConnectionAndAwait();
        java.util.concurrent.CompletableFuture<EventBatchProcessor.BatchResult> batch;
        try {
            other.query("BEGIN").executeAndAwait();
            other.preparedQuery("INSERT INTO eventing_inbox (event_id) VALUES ($1)")
                    .executeAndAwait(Tuple.of(orders.get(1).id()));
            batch = processor.process(asRecords(orders), handler).subscribeAsCompletionStage();
            LockWaits.awaitInsertWaiting(pool, "eventing_inbox");
            other.query("COMMIT").executeAndAwait();
        } finally {
            other.closeAndAwait();
        }

        EventBatchProcessor.BatchResult result = batch.get(30, java.util.concurrent.TimeUnit.SECONDS);
        assertThat(result.applied()).isEqualTo(2);
        assertThat(result.duplicates()).isEqualTo(1);
        assertThat(result.deadLettered()).isZero();
        assertThat(ledgerRows(customer)).as("the other consumer's event is not applied here").isEqualTo(2);
    }

    @Test
    void rowsOfThePreviousOutboxGoOutFirstAndABatchLargerThanTheRelaysGoesOutWholeInOrder() {
        String customer = "c-" + UUID.randomUUID();
        kafka.createTopics(3, Topics.LOYALTY_POINTS);
        // What a pod of the kit's first version leaves behind during a rolling upgrade: a row per record.
        EventEnvelope<?> legacy = TestEvents.orderPlaced(customer).line("sku", 1, "1.00").build();
        pool.preparedQuery("""
                        INSERT INTO eventing_outbox (message_id, topic, message_key, payload)
                        VALUES ($1, $2, $3, $4)""")
                .executeAndAwait(Tuple.of(legacy.id(), Topics.LOYALTY_POINTS, customer,
                        io.vertx.core.buffer.Buffer.buffer(EventEncoder.toStructuredJson(legacy))));
        // 1,500 events: one outbox row, more records than the relay publishes per transaction (1,000).
        List<EventEnvelope<?>> orders = orders(customer, 1500);

        processor.process(asRecords(orders), handler).await().atMost(Duration.ofSeconds(30));

        List<String> expected = new ArrayList<>(List.of(legacy.id()));
        expected.addAll(derivedIds(orders));
        assertThat(publishedRecordIds(customer, 1501)).containsExactlyElementsOf(expected);
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRecords() == 0 && pool.query(
                "SELECT count(*) FROM eventing_outbox").executeAndAwait().iterator().next().getLong(0) == 0);
    }

    @Test
    void aNewRecordAtARememberedPositionIsStillDeadLetteredAndARedeliveredOneIsNot() throws Exception {
        String customer = "c-" + UUID.randomUUID();
        String topic = "recreated-" + UUID.randomUUID();
        String dlq = Topics.deadLetterTopic(topic, "eventing-test");
        byte[] first = "{\"specversion\":\"1.0\", first".getBytes(StandardCharsets.UTF_8);
        byte[] second = "{\"specversion\":\"1.0\", second".getBytes(StandardCharsets.UTF_8);
        kafka.createTopics(1, topic, dlq);

        kafka.send(topic, customer, first, Map.of());
        InboundRecord before = deadLetterOnce(topic, customer, "before-" + UUID.randomUUID(), 1);
        recreate(topic);
        kafka.send(topic, customer, second, Map.of());
        String group = "after-" + UUID.randomUUID();
        InboundRecord after = deadLetterOnce(topic, customer, group, 1);
        InboundRecord redelivered = deadLetterOnce(topic, customer, group, 0); // the group was never committed

        assertThat(after.offset()).as("the same position as the first record").isEqualTo(before.offset());
        assertThat(redelivered.value()).isEqualTo(second);
        await().atMost(Duration.ofSeconds(30)).until(() -> outboxRecords() == 0);
        List<ConsumerRecord<String, byte[]>> deadLetters = kafka.readAll(dlq);
        assertThat(deadLetters).extracting(ConsumerRecord::value).containsExactly(first, second);
        assertThat(deadLetters).extracting(r -> new String(r.headers().lastHeader(DeadLetters.SOURCE_RECORD).value(),
                StandardCharsets.UTF_8)).doesNotHaveDuplicates().allMatch(id -> id.startsWith(topic + "/0/0@"));
    }

    /** Polls the customer's one record with a new consumer of the group, processes it, and checks what it did. */
    private InboundRecord deadLetterOnce(String topic, String customer, String group, int expectedDeadLetters) {
        try (KafkaConsumer<String, byte[]> consumer = consumer(group)) {
            InboundRecord record = pollCustomer(consumer, topic, customer, 1).get(0);
            EventBatchProcessor.BatchResult result = processor.process(List.of(record), handler)
                    .await().atMost(Duration.ofSeconds(30));
            assertThat(result.deadLettered()).as("dead letters of %s", record.coordinates())
                    .isEqualTo(expectedDeadLetters);
            return record;
        }
    }

    /** Deletes the topic and creates it again, empty, as an operator or a broker without its data would. */
    private static void recreate(String topic) throws Exception {
        try (Admin admin = kafka.admin()) {
            admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
            await().atMost(Duration.ofSeconds(30))
                    .until(() -> !admin.listTopics().names().get(10, TimeUnit.SECONDS).contains(topic));
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions().until(() -> {
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(10, TimeUnit.SECONDS);
                return true;
            });
        }
    }

    private static List<EventEnvelope<?>> orders(String customer, int count) {
        return IntStream.range(0, count)
                .<EventEnvelope<?>>mapToObj(i -> TestEvents.orderPlaced(customer).line("sku", 1, "25.00").build())
                .toList();
    }

    private static List<InboundRecord> asRecords(List<EventEnvelope<?>> events) {
        List<InboundRecord> records = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            EventEnvelope<?> event = events.get(i);
            records.add(new InboundRecord(Topics.ORDERS, 0, 1_000_000L + i, -1, event.subject(),
                    EventEncoder.toStructuredJson(event), List.of()));
        }
        return records;
    }

    private static List<String> derivedIds(List<EventEnvelope<?>> orders) {
        return orders.stream().map(o -> EventIds.derive(o.id(), "test.points")).toList();
    }

    private static KafkaConsumer<String, byte[]> consumer(String group) {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, TestKafka.bootstrapServers(),
                ConsumerConfig.GROUP_ID_CONFIG, group,
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static List<InboundRecord> pollCustomer(KafkaConsumer<String, byte[]> consumer, String topic,
                                                    String customer, int expected) {
        consumer.subscribe(List.of(topic));
        List<InboundRecord> records = new ArrayList<>();
        Instant deadline = Instant.now().plusSeconds(30);
        while (records.size() < expected && Instant.now().isBefore(deadline)) {
            for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                if (customer.equals(record.key())) {
                    records.add(InboundRecord.of(record));
                }
            }
        }
        assertThat(records).hasSize(expected);
        return records;
    }

    private static List<String> publishedRecordIds(String customer, int expected) {
        await().atMost(Duration.ofSeconds(30)).until(() -> ofCustomer(customer).size() >= expected);
        return ofCustomer(customer).stream().map(r -> EventingKitTest.eventId(r.value())).collect(Collectors.toList());
    }

    private static List<ConsumerRecord<String, byte[]>> ofCustomer(String customer) {
        return kafka.readAll(Topics.LOYALTY_POINTS).stream().filter(r -> customer.equals(r.key())).toList();
    }

    private long ledgerRows(String customer) {
        return pool.preparedQuery("SELECT count(*) FROM test_ledger WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next().getLong(0);
    }

    private long ledgerSum(String customer) {
        return pool.preparedQuery("SELECT coalesce(sum(amount), 0)::bigint FROM test_ledger WHERE customer_id = $1")
                .executeAndAwait(Tuple.of(customer)).iterator().next().getLong(0);
    }

    private long outboxRecords() {
        return pool.query("SELECT coalesce(sum(record_count), 0) FROM eventing_outbox_batch").executeAndAwait()
                .iterator().next().getLong(0);
    }

    public static class ChannelOff implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("mp.messaging.incoming.ledger-orders.enabled", "false");
        }

        @Override
        public List<TestResourceEntry> testResources() {
            return List.of(new TestResourceEntry(RetentionTestResources.class));
        }
    }
}
