package dev.retention.campaigns.domain;

/** A partner code pool's figures (never its codes): unclaimed and claimed codes, and the threshold of "low". */
public record PoolCounts(String poolId, long available, long claimed, int lowThreshold) {

    /** Fewer codes left than the threshold: the alert RetentionCodePoolLow fires. */
    public boolean low() {
        return available < lowThreshold;
    }
}
