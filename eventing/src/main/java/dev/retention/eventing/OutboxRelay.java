package dev.retention.eventing;

import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.common.annotation.Identifier;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.RowSet;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Transaction;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.jboss.logging.Logger;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Publishes the outbox to Kafka in commit order and deletes what the broker acknowledged, in one database
 * transaction per batch. A crash after publishing and before the delete republishes the batch; the records keep
 * their ids, so consumers' inboxes absorb the copies. Several replicas may run: a transaction-scoped advisory lock
 * lets one relay at a time publish, which keeps each customer's events in order.
 */
@ApplicationScoped
public class OutboxRelay {

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /** Advisory lock id of the relay: any constant, the same in every replica of the service. */
    private static final long RELAY_LOCK = 0x7265_6c61_7921L;

    /**
     * The oldest outbox rows (one per committed transaction) up to the row that reaches $1 records, and at least
     * one: the running count reads only the small columns of at most $1 rows (each holds a record or more), not their
     * records.
     */
    private static final String NEXT_BATCH = """
            SELECT seq, topics, message_keys, payloads, headers FROM eventing_outbox_batch WHERE seq IN (
                SELECT seq FROM (
                    SELECT seq, sum(record_count) OVER (ORDER BY seq) - record_count AS before
                    FROM (SELECT seq, record_count FROM eventing_outbox_batch ORDER BY seq LIMIT $1) oldest) counted
                WHERE before < $1)
            ORDER BY seq""";
    private static final String DELETE_PUBLISHED = "DELETE FROM eventing_outbox_batch WHERE seq = ANY($1::bigint[])";
    /** Rows of the kit's first version (a row per record): what pods of that version wrote during an upgrade. */
    private static final String NEXT_LEGACY_BATCH = """
            SELECT seq, ARRAY[topic] AS topics, ARRAY[message_key] AS message_keys, ARRAY[payload] AS payloads,
                   ARRAY[headers::text] AS headers
            FROM eventing_outbox ORDER BY seq LIMIT $1""";
    private static final String DELETE_LEGACY_PUBLISHED = "DELETE FROM eventing_outbox WHERE seq = ANY($1::bigint[])";
    private static final String PURGE_INBOX = """
            DELETE FROM eventing_inbox WHERE event_id IN (
                SELECT event_id FROM eventing_inbox WHERE applied_at < $1 LIMIT 10000)""";

    private final Pool pool;
    private final EventingConfig.Relay config;
    private final EventingConfig.Inbox inboxConfig;
    private final EventingMetrics metrics;
    private final Map<String, Object> kafkaConfig;
    private final Semaphore wakeUps = new Semaphore(0);
    private volatile boolean running;
    private Thread worker;
    private KafkaProducer<String, byte[]> producer;
    private Instant nextInboxPurge = Instant.now();

    public OutboxRelay(Pool pool, EventingConfig config, EventingMetrics metrics,
                       @Identifier("default-kafka-broker") Map<String, Object> kafkaConfig) {
        this.pool = pool;
        this.config = config.relay();
        this.inboxConfig = config.inbox();
        this.metrics = metrics;
        this.kafkaConfig = kafkaConfig;
    }

    void onStart(@Observes StartupEvent event) {
        if (config.enabled()) {
            start();
        }
    }

    void onStop(@Observes ShutdownEvent event) {
        stop();
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        producer = createProducer();
        running = true;
        worker = new Thread(this::run, "outbox-relay");
        worker.setDaemon(true);
        worker.start();
    }

    public synchronized void stop() {
        running = false;
        if (worker != null) {
            worker.interrupt();
            try {
                worker.join(Duration.ofSeconds(30).toMillis());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            worker = null;
        }
        if (producer != null) {
            producer.close(Duration.ofSeconds(10));
            producer = null;
        }
    }

    /** Called after a commit that wrote to the outbox: publish now rather than at the next poll. */
    public void wakeUp() {
        if (wakeUps.availablePermits() == 0) {
            wakeUps.release();
        }
    }

    private void run() {
        Duration backoff = Duration.ofMillis(100);
        while (running) {
            try {
                int published = publishBatch();
                backoff = Duration.ofMillis(100);
                purgeInboxWhenDue();
                if (published < config.batchSize()) {
                    wakeUps.tryAcquire(config.pollInterval().toMillis(), TimeUnit.MILLISECONDS);
                    wakeUps.drainPermits();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (RuntimeException e) {
                if (!running) {
                    return;
                }
                metrics.relayFailure();
                LOG.warnf("outbox relay failed, retrying in %s: %s", backoff, e.toString());
                try {
                    Thread.sleep(backoff.toMillis());
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    return;
                }
                backoff = backoff.multipliedBy(2).compareTo(Duration.ofSeconds(10)) > 0 ? Duration.ofSeconds(10)
                        : backoff.multipliedBy(2);
            }
        }
    }

    /**
     * Publishes the oldest outbox rows, waits for the broker's acknowledgements and deletes them, all in one
     * transaction. Returns how many records it published (0 when another replica holds the lock). Blocking.
     */
    public int publishBatch() throws InterruptedException {
        SqlConnection connection = pool.getConnectionAndAwait();
        try {
            Transaction transaction = connection.beginAndAwait();
            try {
                boolean locked = connection.preparedQuery("SELECT pg_try_advisory_xact_lock($1)")
                        .executeAndAwait(Tuple.of(RELAY_LOCK)).iterator().next().getBoolean(0);
                if (!locked) {
                    transaction.rollbackAndAwait();
                    return 0;
                }
                // Older than anything in the batch table: what pods of the previous version wrote goes first.
                String delete = DELETE_LEGACY_PUBLISHED;
                RowSet<Row> rows = connection.preparedQuery(NEXT_LEGACY_BATCH)
                        .executeAndAwait(Tuple.of(config.batchSize()));
                if (rows.size() == 0) {
                    delete = DELETE_PUBLISHED;
                    rows = connection.preparedQuery(NEXT_BATCH).executeAndAwait(Tuple.of(config.batchSize()));
                }
                if (rows.size() == 0) {
                    transaction.commitAndAwait();
                    return 0;
                }
                List<Long> rowsPublished = new ArrayList<>(rows.size());
                int records = publish(rows, rowsPublished);
                connection.preparedQuery(delete)
                        .executeAndAwait(Tuple.tuple().addArrayOfLong(rowsPublished.toArray(Long[]::new)));
                transaction.commitAndAwait();
                metrics.published(records);
                return records;
            } catch (RuntimeException | InterruptedException e) {
                transaction.rollbackAndForget();
                throw e;
            }
        } finally {
            connection.closeAndForget();
        }
    }

    /** Sends every record of the rows in order, adding each row's seq to {@code sequence}; returns how many it sent. */
    private int publish(RowSet<Row> rows, List<Long> sequence) throws InterruptedException {
        List<Future<?>> acks = new ArrayList<>();
        for (Row row : rows) {
            String[] topics = row.getArrayOfStrings("topics");
            String[] keys = row.getArrayOfStrings("message_keys");
            io.vertx.core.buffer.Buffer[] payloads = row.getDelegate().getArrayOfBuffers("payloads");
            String[] headers = row.getArrayOfStrings("headers");
            for (int i = 0; i < topics.length; i++) {
                RecordHeaders recordHeaders = new RecordHeaders();
                Outbox.decodeHeaders(headers[i]).forEach(h -> recordHeaders.add(h.name(), h.value()));
                acks.add(producer.send(new ProducerRecord<>(topics[i], null, keys[i],
                        payloads[i] == null ? null : payloads[i].getBytes(), recordHeaders)));
            }
            sequence.add(row.getLong("seq"));
        }
        long deadline = System.nanoTime() + config.publishTimeout().toNanos();
        for (Future<?> ack : acks) {
            try {
                ack.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
            } catch (ExecutionException e) {
                throw new IllegalStateException("the broker refused an outbox record", e.getCause());
            } catch (TimeoutException e) {
                throw new IllegalStateException("the broker did not acknowledge the outbox batch within "
                        + config.publishTimeout(), e);
            }
        }
        return acks.size();
    }

    private void purgeInboxWhenDue() {
        if (Instant.now().isBefore(nextInboxPurge)) {
            return;
        }
        nextInboxPurge = Instant.now().plus(inboxConfig.purgeInterval());
        java.time.OffsetDateTime cutoff = java.time.OffsetDateTime.now(java.time.ZoneOffset.UTC)
                .minus(inboxConfig.retention());
        int deleted;
        do {
            deleted = pool.preparedQuery(PURGE_INBOX).executeAndAwait(Tuple.of(cutoff)).rowCount();
        } while (deleted > 0 && running);
    }

    private KafkaProducer<String, byte[]> createProducer() {
        Map<String, Object> settings = KafkaClientSettings.forClient(kafkaConfig, ProducerConfig.configNames());
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.LINGER_MS_CONFIG, 5);
        settings.put(ProducerConfig.BATCH_SIZE_CONFIG, 128 * 1024);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, config.compression());
        settings.putIfAbsent(ProducerConfig.CLIENT_ID_CONFIG, "outbox-relay");
        return new KafkaProducer<>(settings, new StringSerializer(), new ByteArraySerializer());
    }
}
