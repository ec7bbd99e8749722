package dev.retention.eventing.programme;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.eventing.KafkaClientSettings;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Before any channel consumes an event, the service knows every programme version published so far: first those it
 * stored, then the latest record of {@code retention.programme}, read to its end. Without this, a service rebuilding
 * from an empty database (its consumer groups reset) could judge its first orders by the configured baseline, because
 * its order channel may run ahead of its programme channel. Runs before SmallRye starts the channels (priority 1000).
 */
@ApplicationScoped
public class ProgrammeStartup {

    private static final Logger LOG = Logger.getLogger(ProgrammeStartup.class);

    private final ProgrammeVersions versions;
    private final Instance<ProgrammeCheck> checks;
    private final Pool pool;
    private final Map<String, Object> kafkaConfig;
    private final Duration timeout;
    private final String topic;

    public ProgrammeStartup(ProgrammeVersions versions, Instance<ProgrammeCheck> checks, Pool pool,
                            @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig,
                            @ConfigProperty(name = "retention.programme.startup-timeout", defaultValue = "60s")
                            Duration timeout,
                            @ConfigProperty(name = "mp.messaging.incoming.programme.topic",
                                    defaultValue = Topics.RETENTION_PROGRAMME) String topic) {
        this.versions = versions;
        this.checks = checks;
        this.pool = pool;
        this.kafkaConfig = kafkaConfig;
        this.timeout = timeout;
        this.topic = topic;
    }

    void start(@Observes @Priority(500) StartupEvent started) {
        versions.stored().await().atMost(timeout).ifPresent(versions::loaded);
        latestPublished().ifPresent(this::acceptIfNewer);
        versions.refreshPeriodically();
    }

    private void acceptIfNewer(ProgrammeTimeline published) {
        if (published.versions().size() <= versions.timeline().versions().size()) {
            return;
        }
        List<String> problems = ProgrammeAcceptance.problems(published, checks);
        if (!problems.isEmpty()) {
            // The programme channel dead-letters the record when it reaches it; until then the stored versions stay.
            versions.rejected();
            LOG.errorf("programme %s with %d versions cannot be applied, keeping the versions in force: %s",
                    published.programmeId(), published.versions().size(), problems);
            return;
        }
        pool.withTransaction(transaction -> ProgrammeStore.save(transaction, published)).await().atMost(timeout);
        versions.accepted(published);
        LOG.infof("programme %s: %d versions read from %s at startup", published.programmeId(),
                published.versions().size(), topic);
    }

    /** This programme's latest decodable record on the topic, read from the beginning to the end offsets of now. */
    private Optional<ProgrammeTimeline> latestPublished() {
        Map<String, Object> settings = new HashMap<>(KafkaClientSettings.forClient(kafkaConfig,
                ConsumerConfig.configNames()));
        settings.put(ConsumerConfig.CLIENT_ID_CONFIG, "programme-startup");
        settings.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        settings.put(ConsumerConfig.ALLOW_AUTO_CREATE_TOPICS_CONFIG, false);
        settings.remove(ConsumerConfig.GROUP_ID_CONFIG);
        long deadline = System.nanoTime() + timeout.toNanos();
        EventDecoder decoder = new EventDecoder();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(settings, new StringDeserializer(),
                new ByteArrayDeserializer())) {
            List<PartitionInfo> partitions = consumer.partitionsFor(topic, timeout);
            if (partitions == null || partitions.isEmpty()) {
                return Optional.empty(); // nothing published yet
            }
            List<TopicPartition> assigned = partitions.stream()
                    .map(p -> new TopicPartition(p.topic(), p.partition())).toList();
            consumer.assign(assigned);
            consumer.seekToBeginning(assigned);
            Map<TopicPartition, Long> ends = consumer.endOffsets(assigned, timeout);
            ProgrammeTimeline latest = null;
            while (assigned.stream().anyMatch(p -> consumer.position(p, timeout) < ends.get(p))) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("could not read " + topic + " to its end within " + timeout);
                }
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(500))) {
                    if (!versions.programmeId().equals(record.key())) {
                        continue;
                    }
                    Map<String, byte[]> headers = new HashMap<>();
                    record.headers().forEach(h -> headers.put(h.key(), h.value()));
                    if (decoder.decode(topic, record.key(), record.value(), headers) instanceof DecodeResult.Decoded ok
                            && ok.event().data() instanceof ProgrammePublished published) {
                        latest = published.timeline();
                    } else {
                        LOG.warnf("a record of %s at offset %d does not decode: the programme channel dead-letters it",
                                topic, record.offset());
                    }
                }
            }
            return Optional.ofNullable(latest);
        } catch (org.apache.kafka.common.errors.TimeoutException e) {
            throw new IllegalStateException("the broker did not answer within " + timeout + " while reading " + topic
                    + " at startup: the service waits for the programme's versions before it consumes any event", e);
        }
    }
}
