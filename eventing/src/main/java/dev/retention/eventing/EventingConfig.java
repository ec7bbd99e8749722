package dev.retention.eventing;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/** Settings of the eventing kit, the same keys in every service ({@code retention.eventing.*}). */
@ConfigMapping(prefix = "retention.eventing")
public interface EventingConfig {

    /** This service's consumer group; it also names the service's dead-letter topics. */
    @WithDefault("${quarkus.application.name}")
    String consumerGroup();

    /** A record value larger than this is dead-lettered as TOO_LARGE without being parsed. */
    @WithDefault("262144")
    int maxRecordBytes();

    Retry retry();

    Relay relay();

    Inbox inbox();

    /** A batch that fails for the infrastructure (database down, deadlock) is retried with backoff, then nacked. */
    interface Retry {
        @WithDefault("6")
        int attempts();

        @WithDefault("200ms")
        Duration initialBackoff();

        @WithDefault("5s")
        Duration maxBackoff();
    }

    interface Relay {
        /** Off only for tests that drive the relay by hand. */
        @WithDefault("true")
        boolean enabled();

        /** Outbox rows published per database transaction. */
        @WithDefault("1000")
        int batchSize();

        /** How often the relay looks for rows when nobody woke it (rows of another replica, retries). */
        @WithDefault("500ms")
        Duration pollInterval();

        /** Compression of published records: none, gzip, snappy, lz4 or zstd. CPU against network. */
        @WithDefault("lz4")
        String compression();

        /** How long the relay waits for the broker to acknowledge a batch before it retries the batch. */
        @WithDefault("30s")
        Duration publishTimeout();
    }

    interface Inbox {
        /**
         * How long applied event ids are kept. Must be longer than the retention of every topic the service reads,
         * or a replay from the beginning would apply old events again.
         */
        @WithDefault("400d")
        Duration retention();

        @WithDefault("1h")
        Duration purgeInterval();
    }
}
