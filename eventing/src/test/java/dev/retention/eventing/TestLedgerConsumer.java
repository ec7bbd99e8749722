package dev.retention.eventing;

import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.KafkaRecordBatch;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/** How a service wires a topic to the kit: one line. */
@ApplicationScoped
public class TestLedgerConsumer {

    private final EventBatchProcessor processor;
    private final TestLedgerHandler handler;

    public TestLedgerConsumer(EventBatchProcessor processor, TestLedgerHandler handler) {
        this.processor = processor;
        this.handler = handler;
    }

    @Incoming("ledger-orders")
    public Uni<Void> consume(KafkaRecordBatch<String, byte[]> batch) {
        return processor.consume(batch, handler);
    }
}
