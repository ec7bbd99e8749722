package dev.retention.eventing;

import dev.retention.contracts.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/**
 * The kit's meters; on {@code /q/metrics} they appear with the prefix {@code retention_}. Batch meters carry the
 * consumer group (a channel may read several topics); dead letters carry the source topic and the reason.
 */
@ApplicationScoped
public class EventingMetrics {

    private final MeterRegistry registry;
    private final String consumerGroup;

    public EventingMetrics(MeterRegistry registry, EventingConfig config) {
        this.registry = registry;
        this.consumerGroup = config.consumerGroup();
    }

    void applied(int count) {
        counter("retention.events.applied").increment(count);
    }

    void duplicates(int count) {
        counter("retention.events.duplicates").increment(count);
    }

    void passedOver(int count) {
        if (count > 0) {
            counter("retention.events.passed.over").increment(count);
        }
    }

    void deadLettered(String topic, RejectionReason reason) {
        Counter.builder("retention.dead.letters").description("Records sent to a dead-letter topic, by reason")
                .tag("topic", topic).tag("reason", reason.name()).tag("consumer_group", consumerGroup)
                .register(registry).increment();
    }

    void batch(int records, Duration took) {
        Timer.builder("retention.batch.duration").description("Time to apply one polled batch, commit included")
                .tag("consumer_group", consumerGroup).register(registry).record(took);
        registry.summary("retention.batch.records", "consumer_group", consumerGroup).record(records);
    }

    void batchFallback() {
        counter("retention.batch.fallbacks").increment();
    }

    void published(int count) {
        counter("retention.outbox.published").increment(count);
    }

    void relayFailure() {
        counter("retention.outbox.relay.failures").increment();
    }

    private Counter counter(String name) {
        return registry.counter(name, "consumer_group", consumerGroup);
    }
}
