package dev.retention.insights.messaging;

import dev.retention.eventing.EventBatchProcessor;
import dev.retention.insights.application.ApplyInsightEvents;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * The shop's orders and the platform's output topics, one channel for all of them (application.properties), a polled
 * batch at a time, into {@link ApplyInsightEvents} through the eventing kit.
 */
@ApplicationScoped
public class InsightEventsConsumer {

    private final EventBatchProcessor processor;
    private final ApplyInsightEvents applyEvents;

    public InsightEventsConsumer(EventBatchProcessor processor, ApplyInsightEvents applyEvents) {
        this.processor = processor;
        this.applyEvents = applyEvents;
    }

    @Incoming("insight-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, applyEvents);
    }
}
