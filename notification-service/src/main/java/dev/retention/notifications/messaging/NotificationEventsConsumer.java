package dev.retention.notifications.messaging;

import dev.retention.eventing.EventBatchProcessor;
import dev.retention.notifications.application.ApplyNotificationEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** Triggers and customer profiles from Kafka, a polled batch at a time, into {@link ApplyNotificationEvents}. */
@ApplicationScoped
public class NotificationEventsConsumer {

    private final EventBatchProcessor processor;
    private final ApplyNotificationEvents applyEvents;

    public NotificationEventsConsumer(EventBatchProcessor processor, ApplyNotificationEvents applyEvents) {
        this.processor = processor;
        this.applyEvents = applyEvents;
    }

    @Incoming("notification-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, applyEvents);
    }
}
