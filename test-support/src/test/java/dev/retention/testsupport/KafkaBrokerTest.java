package dev.retention.testsupport;

import dev.retention.kafka.KafkaBroker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The broker launcher is what every integration test stands on: it must really start, die and come back. */
class KafkaBrokerTest {

    private static KafkaBroker broker;

    @BeforeAll
    static void start() {
        broker = KafkaBroker.builder().build().start();
    }

    @AfterAll
    static void close() {
        Path directory = broker.directory();
        broker.close();
        assertThat(directory).doesNotExist();
    }

    @Test
    void acknowledgedRecordsSurviveAKillAndRestartOnTheSamePort() {
        String servers = broker.bootstrapServers();
        try (KafkaTestClient client = new KafkaTestClient(servers)) {
            client.createTopics(1, "survivors");
            client.send("survivors", "k", "before".getBytes(StandardCharsets.UTF_8), Map.of());
        }
        long firstPid = broker.pid();

        broker.kill();
        assertThat(broker.isRunning()).isFalse();
        assertThat(ProcessHandle.of(firstPid).map(ProcessHandle::isAlive).orElse(false)).isFalse();
        broker.start();

        assertThat(broker.bootstrapServers()).isEqualTo(servers);
        assertThat(broker.pid()).isNotEqualTo(firstPid);
        try (KafkaTestClient client = new KafkaTestClient(servers)) {
            client.send("survivors", "k", "after".getBytes(StandardCharsets.UTF_8), Map.of());
            assertThat(client.readFromBeginning("survivors", 2, Duration.ofSeconds(30)))
                    .extracting(r -> new String(r.value(), StandardCharsets.UTF_8))
                    .containsExactly("before", "after");
        }
    }

    @Test
    void runsInItsOwnProcessWithItsDataInItsDirectory() {
        assertThat(broker.pid()).isNotEqualTo(ProcessHandle.current().pid());
        assertThat(Files.exists(broker.directory().resolve("data/meta.properties"))).isTrue();
        assertThat(ProcessHandle.of(broker.pid()).map(ProcessHandle::isAlive)).contains(true);
    }
}
