package dev.retention.testsupport;

import dev.retention.kafka.KafkaBroker;

/** The one broker of a test JVM: started on first use, stopped when the JVM exits. */
public final class TestKafka {

    private static KafkaBroker broker;

    private TestKafka() {
    }

    public static synchronized KafkaBroker broker() {
        if (broker == null) {
            broker = KafkaBroker.builder().build().start();
        }
        return broker;
    }

    public static String bootstrapServers() {
        return broker().bootstrapServers();
    }
}
