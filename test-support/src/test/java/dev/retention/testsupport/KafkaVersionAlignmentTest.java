package dev.retention.testsupport;

import org.apache.kafka.common.utils.AppInfoParser;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** Tests must run against the broker minor that matches the client Quarkus ships, or they prove another pairing. */
class KafkaVersionAlignmentTest {

    @Test
    void brokerAndClientShareTheMinorVersion() throws Exception {
        String classpath;
        try (InputStream in = getClass().getResourceAsStream("/dev/retention/kafka/broker.classpath")) {
            classpath = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        Matcher broker = Pattern.compile("kafka_2\\.13-(\\d+\\.\\d+)\\.\\d+\\.jar").matcher(classpath);
        assertThat(broker.find()).as("kafka_2.13 jar on the broker classpath").isTrue();

        String client = AppInfoParser.getVersion();

        assertThat(client).startsWith(broker.group(1) + ".");
    }
}
