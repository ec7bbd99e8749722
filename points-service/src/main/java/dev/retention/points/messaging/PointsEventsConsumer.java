package dev.retention.points.messaging;

import dev.retention.eventing.EventBatchProcessor;
import dev.retention.points.application.ApplyPointsEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** One channel over every topic that moves points, so a customer's events meet in one place. */
@ApplicationScoped
public class PointsEventsConsumer {

    private final EventBatchProcessor processor;
    private final ApplyPointsEvents handler;

    public PointsEventsConsumer(EventBatchProcessor processor, ApplyPointsEvents handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("points-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
