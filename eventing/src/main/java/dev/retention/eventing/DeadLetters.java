package dev.retention.eventing;

import dev.retention.contracts.RejectionReason;
import dev.retention.contracts.Topics;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * Builds the dead letter of a record: key, value and headers unchanged, plus {@code retention.dlq.*} headers that
 * say why and where from. It goes to {@code <topic>.<consumer-group>.dlq}.
 */
public final class DeadLetters {

    public static final String REASON = "retention.dlq.reason";
    public static final String FIELD = "retention.dlq.field";
    public static final String DETAIL = "retention.dlq.detail";
    public static final String SOURCE_TOPIC = "retention.dlq.source-topic";
    public static final String SOURCE_PARTITION = "retention.dlq.source-partition";
    public static final String SOURCE_OFFSET = "retention.dlq.source-offset";
    /** The source record's identity ({@link InboundRecord#identity()}): tells a relay's repeat from a new record. */
    public static final String SOURCE_RECORD = "retention.dlq.source-record";
    public static final String CONSUMER_GROUP = "retention.dlq.consumer-group";
    public static final String DEAD_LETTERED_AT = "retention.dlq.dead-lettered-at";

    /** Kafka headers are small; a detail past this is cut. */
    private static final int MAX_DETAIL_LENGTH = 2000;

    private DeadLetters() {
    }

    public static OutboundRecord of(InboundRecord record, String consumerGroup, RejectionReason reason, String field,
                                    String detail) {
        List<RecordHeader> headers = new ArrayList<>(record.headers());
        headers.add(RecordHeader.text(REASON, reason.name()));
        headers.add(RecordHeader.text(FIELD, field == null ? "" : field));
        headers.add(RecordHeader.text(DETAIL, truncate(detail)));
        headers.add(RecordHeader.text(SOURCE_TOPIC, record.topic()));
        headers.add(RecordHeader.text(SOURCE_PARTITION, Integer.toString(record.partition())));
        headers.add(RecordHeader.text(SOURCE_OFFSET, Long.toString(record.offset())));
        headers.add(RecordHeader.text(SOURCE_RECORD, record.identity()));
        headers.add(RecordHeader.text(CONSUMER_GROUP, consumerGroup));
        headers.add(RecordHeader.text(DEAD_LETTERED_AT, Instant.now().toString()));
        // Deduplicated by the record's identity, not its position: a topic recreated (an operator's, or the local
        // run's before it kept the broker's data) puts new records at positions the inbox remembers.
        return new OutboundRecord("dlq:" + consumerGroup + ":" + record.identity(),
                Topics.deadLetterTopic(record.topic(), consumerGroup), record.key(), record.value(), headers);
    }

    private static String truncate(String detail) {
        String text = detail == null ? "" : detail;
        return text.length() <= MAX_DETAIL_LENGTH ? text : text.substring(0, MAX_DETAIL_LENGTH) + "…";
    }
}
