package dev.retention.campaigns.application;

import dev.retention.campaigns.config.CodePoolsConfig;
import dev.retention.campaigns.domain.PoolCodes;
import dev.retention.campaigns.persistence.CodePoolStore;
import dev.retention.campaigns.domain.PoolCounts;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/**
 * Adds uploaded codes to a partner pool (opened by its first upload) in one transaction under the pool's lock, so
 * the figures it answers are those of the pool right after it.
 */
@ApplicationScoped
public class UploadPoolCodes {

    private final Pool pool;
    private final CodePoolStore store;
    private final CodePoolGauges gauges;
    private final CodePoolsConfig config;
    private final Clock clock;

    public UploadPoolCodes(Pool pool, CodePoolStore store, CodePoolGauges gauges, CodePoolsConfig config,
                           Clock clock) {
        this.pool = pool;
        this.store = store;
        this.gauges = gauges;
        this.config = config;
        this.clock = clock;
    }

    /**
     * @param duplicates codes of the upload that were not added: repeated in it, or already in the pool (claimed
     *                   or not)
     */
    public record Uploaded(int added, int duplicates, PoolCounts pool) {
    }

    /** @param lowThreshold the pool's new threshold; null keeps it (a new pool gets the configured one) */
    public Uni<Uploaded> upload(String poolId, PoolCodes codes, Integer lowThreshold) {
        return pool.withTransaction(tx -> store.add(tx, poolId, codes.codes(), lowThreshold,
                                config.lowThreshold(), clock.instant())
                        .chain(added -> store.counts(tx, poolId).map(counts -> new Uploaded(added,
                                codes.codes().size() - added + codes.duplicateInUpload(), counts.orElseThrow()))))
                .invoke(uploaded -> gauges.update(uploaded.pool()));
    }
}
