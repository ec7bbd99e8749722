package dev.retention.programme.persistence;

import dev.retention.contracts.EventEncoder;
import dev.retention.contracts.EventEnvelope;
import dev.retention.eventing.OutboundRecord;
import dev.retention.eventing.RecordHeader;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/**
 * Writes events into the eventing kit's outbox (eventing_outbox_batch, db/eventing V0_2) through the current Hibernate
 * Reactive session, so that they commit or roll back with the entities written in the same transaction; the kit's
 * {@code OutboxRelay} publishes them to Kafka like every other service's.
 *
 * <p>Why a native statement here rather than the kit's {@code EventOutbox.write(SqlConnection, ...)}: that one needs
 * the Vert.x connection of the transaction, and Hibernate Reactive does not hand its connection out through a public
 * API. The row written is the one the kit's own {@code Outbox.append} writes for a single record: same columns, the
 * record's id, topic, key and payload as one-element arrays, and a null header list, which the relay reads as "only
 * the CloudEvents content type" (structured mode).
 */
@ApplicationScoped
public class ProgrammeOutbox {

    private static final String APPEND = """
            INSERT INTO eventing_outbox_batch (record_count, message_ids, topics, message_keys, payloads, headers)
            VALUES (1, ARRAY[CAST(:id AS text)], ARRAY[CAST(:topic AS text)], ARRAY[CAST(:key AS text)],
                    ARRAY[CAST(:payload AS bytea)], ARRAY[CAST(NULL AS text)])""";

    public Uni<Void> append(EventEnvelope<?> event) {
        OutboundRecord record = OutboundRecord.of(event);
        if (!onlyContentType(record.headers())) {
            throw new IllegalStateException("an event record carries only the content type header: " + record.headers());
        }
        return Panache.getSession().chain(session -> session.createNativeQuery(APPEND)
                        .setParameter("id", record.messageId())
                        .setParameter("topic", record.topic())
                        .setParameter("key", record.key())
                        .setParameter("payload", record.payload())
                        .executeUpdate())
                .replaceWithVoid();
    }

    private static boolean onlyContentType(List<RecordHeader> headers) {
        return headers.equals(List.of(RecordHeader.text("content-type", EventEncoder.CONTENT_TYPE)));
    }
}
