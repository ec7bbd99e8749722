package dev.retention.eventing;

import dev.retention.contracts.RejectionReason;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Duration;

/** The kit's meters; on {@code /q/metrics} they appear with the prefix {@code retention_}. */
@ApplicationScoped
public class EventingMetrics {

    private final MeterRegistry registry;

    public EventingMetrics(MeterRegistry registry) {
        this.registry = registry;
    }

    void applied(String topic, int count) {
        counter("retention.events.applied", "topic", topic).increment(count);
    }

    void duplicates(String topic, int count) {
        counter("retention.events.duplicates", "topic", topic).increment(count);
    }

    void deadLettered(String topic, RejectionReason reason) {
        Counter.builder("retention.dead.letters").description("Records sent to a dead-letter topic, by reason")
                .tag("topic", topic).tag("reason", reason.name()).register(registry).increment();
    }

    void batch(String topic, int records, Duration took) {
        Timer.builder("retention.batch.duration").description("Time to apply one polled batch, commit included")
                .tag("topic", topic).register(registry).record(took);
        registry.summary("retention.batch.records", "topic", topic).record(records);
    }

    void batchFallback(String topic) {
        counter("retention.batch.fallbacks", "topic", topic).increment();
    }

    void published(int count) {
        counter("retention.outbox.published").increment(count);
    }

    void relayFailure() {
        counter("retention.outbox.relay.failures").increment();
    }

    private Counter counter(String name, String... tags) {
        return registry.counter(name, tags);
    }
}
