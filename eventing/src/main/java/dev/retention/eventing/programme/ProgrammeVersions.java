package dev.retention.eventing.programme;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.Topics;
import dev.retention.contracts.events.ProgrammePublished;
import dev.retention.contracts.programme.ProgrammeTimeline;
import dev.retention.contracts.programme.ProgrammeVersion;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.eclipse.microprofile.config.ConfigProvider;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * THROWAWAY local copy of the kit's API (issue 32); deleted when main's kit is merged. Reads retention.programme
 * with a plain consumer only when {@code retention.programme.id} is set (the two integration tests of this branch).
 */
@ApplicationScoped
public class ProgrammeVersions {

    private volatile ProgrammeTimeline timeline = ProgrammeTimeline.empty("default");
    private volatile boolean running;
    private final Instance<ProgrammeCheck> checks;

    ProgrammeVersions(Instance<ProgrammeCheck> checks) {
        this.checks = checks;
    }

    public Optional<ProgrammeVersion> inForceAt(Instant time) {
        return timeline.inForceAt(time);
    }

    public ProgrammeTimeline timeline() {
        return timeline;
    }

    void start(@Observes StartupEvent started) {
        Optional<String> programme = ConfigProvider.getConfig().getOptionalValue("retention.programme.id",
                String.class);
        if (programme.isEmpty()) {
            return;
        }
        String servers = ConfigProvider.getConfig().getValue("kafka.bootstrap.servers", String.class);
        running = true;
        Thread reader = new Thread(() -> read(programme.get(), servers), "throwaway-programme-reader");
        reader.setDaemon(true);
        reader.start();
    }

    void stop(@Observes ShutdownEvent stopped) {
        running = false;
    }

    private void read(String programme, String servers) {
        EventDecoder decoder = new EventDecoder();
        try (KafkaConsumer<String, byte[]> consumer = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, servers,
                ConsumerConfig.GROUP_ID_CONFIG, "throwaway-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest"),
                new StringDeserializer(), new ByteArrayDeserializer())) {
            consumer.subscribe(List.of(Topics.RETENTION_PROGRAMME));
            while (running) {
                for (ConsumerRecord<String, byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    if (decoder.decode(Topics.RETENTION_PROGRAMME, record.key(), record.value(), Map.of())
                            instanceof DecodeResult.Decoded decoded
                            && decoded.event().data() instanceof ProgrammePublished published
                            && programme.equals(published.programmeId()) && acceptable(published)) {
                        timeline = published.timeline();
                    }
                }
            }
        }
    }

    private boolean acceptable(ProgrammePublished published) {
        for (ProgrammeVersion version : published.versions()) {
            for (ProgrammeCheck check : checks) {
                if (!check.problems(version.document()).isEmpty()) {
                    return false;
                }
            }
        }
        return true;
    }
}
