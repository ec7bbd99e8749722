package dev.retention.eventing.programme;

import dev.retention.eventing.EventBatchProcessor;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Reads the compacted {@code retention.programme} on the channel {@code programme}, which every service configures
 * (docs/configuration.md, "The programme"): its own consumer group, from the earliest offset.
 */
@ApplicationScoped
public class ProgrammeConsumer {

    private final EventBatchProcessor processor;
    private final ApplyPublishedProgramme handler;

    public ProgrammeConsumer(EventBatchProcessor processor, ApplyPublishedProgramme handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("programme")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
