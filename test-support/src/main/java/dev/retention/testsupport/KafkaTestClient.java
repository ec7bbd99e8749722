package dev.retention.testsupport;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.CommonClientConfigs;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.stream.Collectors;

/** Plain Kafka clients for tests: what a shop platform would publish and what an analyst would read. */
public final class KafkaTestClient implements AutoCloseable {

    private final Map<String, Object> connection;
    private final KafkaProducer<String, byte[]> producer;

    public KafkaTestClient(String bootstrapServers) {
        this(bootstrapServers, Map.of());
    }

    /** With client settings for every client it makes, e.g. {@code security.protocol} and the TLS stores. */
    public KafkaTestClient(String bootstrapServers, Map<String, Object> clientSettings) {
        Map<String, Object> connection = new HashMap<>(clientSettings);
        connection.put(CommonClientConfigs.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
        this.connection = Map.copyOf(connection);
        this.producer = new KafkaProducer<>(with(Map.of(
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.LINGER_MS_CONFIG, 5,
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true)),
                new StringSerializer(), new ByteArraySerializer());
    }

    private Map<String, Object> with(Map<String, Object> settings) {
        Map<String, Object> all = new HashMap<>(connection);
        all.putAll(settings);
        return all;
    }

    public static KafkaTestClient forTestBroker() {
        return new KafkaTestClient(TestKafka.bootstrapServers());
    }

    public void createTopics(int partitions, String... topics) {
        try (Admin admin = admin()) {
            for (String topic : topics) {
                try {
                    admin.createTopics(List.of(new NewTopic(topic, partitions, (short) 1))).all().get();
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw new IllegalStateException("cannot create topic " + topic, e.getCause());
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** Publishes the event in structured mode with the customer id as key, and waits for the broker's ack. */
    public void publish(String topic, EventEnvelope<?> event) {
        send(topic, event.subject(), EventEncoder.toStructuredJson(event), Map.of());
    }

    public void publishAll(String topic, List<? extends EventEnvelope<?>> events) {
        sendAll(events.stream().map(event -> new ProducerRecord<>(topic, event.subject(),
                EventEncoder.toStructuredJson(event))).toList());
    }

    /** Publishes any bytes, valid or not: for poison records, binary mode, odd keys. */
    public void send(String topic, String key, byte[] value, Map<String, byte[]> headers) {
        RecordHeaders recordHeaders = new RecordHeaders();
        headers.forEach(recordHeaders::add);
        await(producer.send(new ProducerRecord<>(topic, null, key, value, recordHeaders)));
    }

    /** Sends the records in their order without waiting for each ack, then waits for all of them. */
    public void sendAll(List<ProducerRecord<String, byte[]>> records) {
        List<java.util.concurrent.Future<?>> acks = new ArrayList<>();
        records.forEach(record -> acks.add(producer.send(record)));
        acks.forEach(KafkaTestClient::await);
    }

    /** Reads {@code topic} from the beginning until {@code expected} records arrived or the timeout passed. */
    public List<ConsumerRecord<String, byte[]>> readFromBeginning(String topic, int expected, Duration timeout) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            assignFromBeginning(consumer, topic);
            Instant deadline = Instant.now().plus(timeout);
            while (records.size() < expected && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    /** Everything on {@code topic} now: reads up to the end offsets taken at the call. */
    public List<ConsumerRecord<String, byte[]>> readAll(String topic) {
        List<ConsumerRecord<String, byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<String, byte[]> consumer = consumer()) {
            List<TopicPartition> partitions = assignFromBeginning(consumer, topic);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            Instant deadline = Instant.now().plusSeconds(30);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))
                    && Instant.now().isBefore(deadline)) {
                consumer.poll(Duration.ofMillis(200)).forEach(records::add);
            }
        }
        return records;
    }

    private static List<TopicPartition> assignFromBeginning(KafkaConsumer<String, byte[]> consumer, String topic) {
        List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).collect(Collectors.toList());
        consumer.assign(partitions);
        consumer.seekToBeginning(partitions);
        return partitions;
    }

    public Admin admin() {
        return Admin.create(connection);
    }

    private KafkaConsumer<String, byte[]> consumer() {
        return new KafkaConsumer<>(with(Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed")),
                new StringDeserializer(), new ByteArrayDeserializer());
    }

    private static void await(java.util.concurrent.Future<?> ack) {
        try {
            ack.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("the broker did not take the record", e.getCause());
        }
    }

    @Override
    public void close() {
        producer.close(Duration.ofSeconds(10));
    }
}
