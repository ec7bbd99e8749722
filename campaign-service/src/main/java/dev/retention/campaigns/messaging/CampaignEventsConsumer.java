package dev.retention.campaigns.messaging;

import dev.retention.campaigns.application.ApplyCampaignEvents;
import dev.retention.eventing.EventBatchProcessor;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

@ApplicationScoped
public class CampaignEventsConsumer {

    private final EventBatchProcessor processor;
    private final ApplyCampaignEvents handler;

    public CampaignEventsConsumer(EventBatchProcessor processor, ApplyCampaignEvents handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("campaign-events")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
