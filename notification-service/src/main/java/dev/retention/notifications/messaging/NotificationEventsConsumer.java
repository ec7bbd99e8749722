package dev.retention.notifications.messaging;

import dev.retention.eventing.EventBatchProcessor;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class NotificationEventsConsumer {

    private final EventBatchProcessor processor;
    private final NotificationEventsHandler handler;

    public NotificationEventsConsumer(EventBatchProcessor processor, NotificationEventsHandler handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("notification-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
