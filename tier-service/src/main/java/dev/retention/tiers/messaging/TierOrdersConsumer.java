package dev.retention.tiers.messaging;

import dev.retention.eventing.EventBatchProcessor;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class TierOrdersConsumer {

    private final EventBatchProcessor processor;
    private final TierOrdersHandler handler;

    public TierOrdersConsumer(EventBatchProcessor processor, TierOrdersHandler handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("tier-orders")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
