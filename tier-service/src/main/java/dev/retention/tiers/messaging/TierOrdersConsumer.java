package dev.retention.tiers.messaging;

import dev.retention.eventing.EventBatchProcessor;
import dev.retention.tiers.application.ApplyOrderEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The orders topic, a polled batch at a time, into {@link ApplyOrderEvents} through the eventing kit. */
@ApplicationScoped
public class TierOrdersConsumer {

    private final EventBatchProcessor processor;
    private final ApplyOrderEvents applyOrderEvents;

    public TierOrdersConsumer(EventBatchProcessor processor, ApplyOrderEvents applyOrderEvents) {
        this.processor = processor;
        this.applyOrderEvents = applyOrderEvents;
    }

    @Incoming("tier-orders")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, applyOrderEvents);
    }
}
