package dev.retention.eventing;

import dev.retention.contracts.DecodeResult;
import dev.retention.contracts.EventDecoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventType;
import dev.retention.contracts.RejectionReason;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.kafka.api.IncomingKafkaRecordBatchMetadata;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Applies a polled batch exactly once in effect: decode every record, dead-letter the ones that are not valid
 * events, and in one database transaction record the new event ids (inbox), apply the service's effect, and write
 * emitted events and dead letters to the outbox. The batch is acknowledged (its offsets become committable) only
 * after that commit. A redelivered or duplicated event finds its id in the inbox and changes nothing.
 *
 * <p>Records of event types the handler does not act on ({@link BatchHandler#eventTypes}) are passed over before
 * decoding. If the batch fails because of one event's data, the kit applies the batch again event by event and
 * dead-letters only the events that fail; if it fails because of the infrastructure, it retries the whole batch
 * with backoff and finally nacks it, which stops the channel (the service turns unhealthy) rather than lose it.
 */
@ApplicationScoped
public class EventBatchProcessor {

    private static final Logger LOG = Logger.getLogger(EventBatchProcessor.class);

    private final Pool pool;
    private final EventingConfig config;
    private final EventingMetrics metrics;
    private final OutboxRelay relay;
    private final EventDecoder decoder;

    public EventBatchProcessor(Pool pool, EventingConfig config, EventingMetrics metrics, OutboxRelay relay) {
        this.pool = pool;
        this.config = config;
        this.metrics = metrics;
        this.relay = relay;
        this.decoder = new EventDecoder(config.maxRecordBytes());
    }

    /** For an {@code @Incoming} method in batch mode: apply, then ack; nack only when retries are exhausted. */
    public Uni<Void> consume(Message<?> batch, BatchHandler handler) {
        @SuppressWarnings("unchecked")
        IncomingKafkaRecordBatchMetadata<String, byte[]> metadata = batch
                .getMetadata(IncomingKafkaRecordBatchMetadata.class)
                .orElseThrow(() -> new IllegalArgumentException("not a Kafka batch: set batch=true on the channel"));
        List<InboundRecord> records = new ArrayList<>(metadata.count());
        metadata.getRecords().forEach(record -> records.add(InboundRecord.of(record)));
        return process(records, handler).onItemOrFailure().transformToUni((result, failure) -> failure == null
                ? Uni.createFrom().completionStage(batch.ack())
                : Uni.createFrom().completionStage(batch.nack(failure)));
    }

    /** Applies the records; completes after the database commit. Usable without SmallRye (tests, tools). */
    public Uni<BatchResult> process(List<InboundRecord> records, BatchHandler handler) {
        if (records.isEmpty()) {
            return Uni.createFrom().item(BatchResult.EMPTY);
        }
        long started = System.nanoTime();
        Decoded decoded = decode(records, handler.eventTypes());
        metrics.passedOver(decoded.passedOver());
        Uni<BatchResult> applied = decoded.events().isEmpty() && decoded.rejected().isEmpty()
                ? Uni.createFrom().item(BatchResult.EMPTY) // only passed-over records: nothing to write
                : retryingTransient(applyTogether(decoded, handler))
                        .onFailure(failure -> !Failures.isTransient(failure)).recoverWithUni(failure -> {
                            LOG.warnf("batch of %d records from %s failed (%s); applying it event by event",
                                    records.size(), records.get(0).coordinates(), failure.toString());
                            metrics.batchFallback();
                            return applyOneByOne(decoded, handler);
                        });
        return applied.invoke(result -> {
            result.deadLetters().forEach(d -> metrics.deadLettered(d.topic(), d.reason()));
            metrics.applied(result.applied());
            metrics.duplicates(result.duplicates());
            metrics.batch(records.size(), Duration.ofNanos(System.nanoTime() - started));
            if (result.written() > 0) {
                relay.wakeUp();
            }
            if (result.applied() > 0) {
                handler.committed();
            }
        });
    }

    private Decoded decode(List<InboundRecord> records, Set<EventType> handled) {
        Set<String> topicsWithPassedOverTypes = new HashSet<>();
        for (EventType type : EventType.values()) {
            if (!handled.contains(type)) {
                topicsWithPassedOverTypes.add(type.topic());
            }
        }
        // Sized for the batch up front: growing them record by record showed in the profiles.
        int capacity = (int) (records.size() / 0.75f) + 1;
        Map<String, EventEnvelope<?>> events = new LinkedHashMap<>(capacity);
        Map<String, InboundRecord> sourceById = new HashMap<>(capacity);
        List<Rejected> rejected = new ArrayList<>();
        int duplicatesInBatch = 0;
        int passedOver = 0;
        for (InboundRecord record : records) {
            Map<String, byte[]> headers = record.headerMap();
            // Only a topic that carries a type the handler does not act on is worth a look before decoding.
            if (topicsWithPassedOverTypes.contains(record.topic())) {
                Optional<EventType> announced = decoder.announcedType(record.value(), headers);
                if (announced.isPresent() && !handled.contains(announced.get())
                        && announced.get().topic().equals(record.topic())) {
                    passedOver++; // a type this service does not act on: decoding it would only cost
                    continue;
                }
            }
            DecodeResult result = decoder.decode(record.topic(), record.key(), record.value(), headers);
            if (result instanceof DecodeResult.Decoded ok) {
                if (events.putIfAbsent(ok.event().id(), ok.event()) == null) {
                    sourceById.put(ok.event().id(), record);
                } else {
                    duplicatesInBatch++;
                }
            } else if (result instanceof DecodeResult.Rejected no) {
                // Reason and field, not the detail: a detail can quote a value (an address, a birth date); the
                // dead letter's headers carry it.
                LOG.warnf("dead-lettering %s: %s at %s", record.coordinates(), no.reason(), no.field());
                rejected.add(new Rejected(no.reason(), DeadLetters.of(record, config.consumerGroup(), no.reason(),
                        no.field(), no.detail()), record.topic()));
            }
        }
        return new Decoded(List.copyOf(events.values()), rejected, duplicatesInBatch, passedOver, sourceById);
    }

    private Uni<BatchResult> applyTogether(Decoded batch, BatchHandler handler) {
        return pool.withTransaction(transaction -> {
            Set<EventType> deduplicatedByEffect = handler.deduplicatedByEffect();
            List<String> ids = new ArrayList<>(batch.events().size() + batch.rejected().size());
            batch.events().stream().filter(event -> !deduplicatedByEffect.contains(event.type()))
                    .forEach(event -> ids.add(event.id()));
            batch.rejected().forEach(rejected -> ids.add(rejected.deadLetter().messageId()));
            return Inbox.claim(transaction, ids).flatMap(fresh -> {
                List<EventEnvelope<?>> freshEvents = batch.events().stream()
                        .filter(e -> deduplicatedByEffect.contains(e.type()) || fresh.contains(e.id())).toList();
                List<Rejected> freshRejected = batch.rejected().stream()
                        .filter(r -> fresh.contains(r.deadLetter().messageId())).toList();
                return applyHandler(transaction, handler, freshEvents).flatMap(emitted -> {
                    List<OutboundRecord> outbound = new ArrayList<>(emitted);
                    freshRejected.forEach(r -> outbound.add(r.deadLetter()));
                    return Outbox.append(transaction, outbound).map(ignored -> {
                        int duplicates = batch.duplicatesInBatch() + batch.events().size() - freshEvents.size();
                        return new BatchResult(freshEvents.size(), duplicates, outbound.size(),
                                freshRejected.stream().map(r -> new DeadLettered(r.topic(), r.reason())).toList());
                    });
                });
            });
        });
    }

    private Uni<BatchResult> applyOneByOne(Decoded batch, BatchHandler handler) {
        Decoded onlyRejected = new Decoded(List.of(), batch.rejected(), batch.duplicatesInBatch(), 0,
                batch.sourceById());
        Uni<BatchResult> deadLetters = retryingTransient(applyTogether(onlyRejected, handler));
        return deadLetters.flatMap(first -> Multi.createFrom().iterable(batch.events())
                .onItem().transformToUniAndConcatenate(event -> applyAlone(event, batch, handler))
                .collect().in(() -> new BatchResult[]{first}, (sum, one) -> sum[0] = sum[0].plus(one))
                .map(sum -> sum[0]));
    }

    private Uni<BatchResult> applyAlone(EventEnvelope<?> event, Decoded batch, BatchHandler handler) {
        Decoded single = new Decoded(List.of(event), List.of(), 0, 0, batch.sourceById());
        return retryingTransient(applyTogether(single, handler))
                .onFailure(failure -> !Failures.isTransient(failure))
                .recoverWithUni(failure -> retryingTransient(deadLetterProcessingError(event, batch, failure)));
    }

    /** Records the event as applied (so a redelivery does not try again) and dead-letters it with the reason. */
    private Uni<BatchResult> deadLetterProcessingError(EventEnvelope<?> event, Decoded batch, Throwable failure) {
        InboundRecord source = batch.sourceById().get(event.id());
        String detail = failure instanceof EventRejectedException ? failure.getMessage() : failure.toString();
        LOG.warnf("dead-lettering event %s from %s: %s", event.id(), source.coordinates(), detail);
        OutboundRecord deadLetter = DeadLetters.of(source, config.consumerGroup(), RejectionReason.PROCESSING_ERROR,
                "$", detail);
        return pool.withTransaction(transaction -> Inbox.claim(transaction, List.of(event.id()))
                .flatMap(fresh -> fresh.isEmpty()
                        ? Uni.createFrom().item(new BatchResult(0, 1, 0, List.of()))
                        : Outbox.append(transaction, List.of(deadLetter)).replaceWith(new BatchResult(0, 0, 1,
                                List.of(new DeadLettered(source.topic(), RejectionReason.PROCESSING_ERROR))))));
    }

    private static Uni<List<OutboundRecord>> applyHandler(SqlConnection transaction, BatchHandler handler,
                                                          List<EventEnvelope<?>> events) {
        if (events.isEmpty()) {
            return Uni.createFrom().item(List.of());
        }
        return Uni.createFrom().deferred(() -> handler.apply(transaction, events))
                .map(emitted -> emitted.stream().map(OutboundRecord::of).toList());
    }

    private <T> Uni<T> retryingTransient(Uni<T> work) {
        EventingConfig.Retry retry = config.retry();
        return work.onFailure(Failures::isTransient).invoke(failure -> LOG.warnf("transient failure, retrying: %s",
                        failure.toString()))
                .onFailure(Failures::isTransient).retry()
                .withBackOff(retry.initialBackoff(), retry.maxBackoff())
                .atMost(retry.attempts());
    }

    /** What one batch did. {@code written} is what went to the outbox (events emitted plus dead letters). */
    public record BatchResult(int applied, int duplicates, int written, List<DeadLettered> deadLetters) {
        static final BatchResult EMPTY = new BatchResult(0, 0, 0, List.of());

        public int deadLettered() {
            return deadLetters.size();
        }

        BatchResult plus(BatchResult other) {
            List<DeadLettered> all = new ArrayList<>(deadLetters);
            all.addAll(other.deadLetters);
            return new BatchResult(applied + other.applied, duplicates + other.duplicates, written + other.written,
                    all);
        }
    }

    /** A record sent to a dead-letter topic, counted once its transaction committed. */
    public record DeadLettered(String topic, RejectionReason reason) {
    }

    private record Rejected(RejectionReason reason, OutboundRecord deadLetter, String topic) {
    }

    /**
     * The batch after decoding: distinct events in arrival order, the records that are no events, and how many
     * records were of types the handler does not act on.
     */
    private record Decoded(List<EventEnvelope<?>> events, List<Rejected> rejected, int duplicatesInBatch,
                           int passedOver, Map<String, InboundRecord> sourceById) {
    }
}
