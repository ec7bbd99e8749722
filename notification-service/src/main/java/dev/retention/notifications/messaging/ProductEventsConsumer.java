package dev.retention.notifications.messaging;

import dev.retention.eventing.EventBatchProcessor;
import dev.retention.notifications.application.ApplyProductUpdates;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** The compacted {@code products} topic, keyed by SKU: a channel of its own, apart from the customers' events. */
@ApplicationScoped
public class ProductEventsConsumer {

    private final EventBatchProcessor processor;
    private final ApplyProductUpdates handler;

    public ProductEventsConsumer(EventBatchProcessor processor, ApplyProductUpdates handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("products")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
