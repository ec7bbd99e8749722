package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.PoolCounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The pools' gauges, tagged {@code pool}: {@code retention.code.pool.codes.available} and
 * {@code retention.code.pool.codes.low} (1 while fewer than the pool's threshold are left, which the alert
 * RetentionCodePoolLow watches). Every replica reports the same figures, read from the database.
 */
@ApplicationScoped
public class CodePoolGauges {

    private final MeterRegistry registry;
    private final Map<String, AtomicLong[]> pools = new ConcurrentHashMap<>();

    public CodePoolGauges(MeterRegistry registry) {
        this.registry = registry;
    }

    public void update(Collection<PoolCounts> counts) {
        counts.forEach(this::update);
    }

    public void update(PoolCounts counts) {
        AtomicLong[] values = pools.computeIfAbsent(counts.poolId(), this::register);
        values[0].set(counts.available());
        values[1].set(counts.low() ? 1 : 0);
    }

    private AtomicLong[] register(String poolId) {
        AtomicLong available = new AtomicLong();
        AtomicLong low = new AtomicLong();
        Gauge.builder("retention.code.pool.codes.available", available, AtomicLong::get).tag("pool", poolId)
                .description("Unclaimed codes in a partner code pool").register(registry);
        Gauge.builder("retention.code.pool.codes.low", low, AtomicLong::get).tag("pool", poolId)
                .description("1 while a partner code pool holds fewer codes than its low threshold").register(registry);
        return new AtomicLong[] {available, low};
    }
}
