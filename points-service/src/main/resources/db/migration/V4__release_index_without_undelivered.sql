-- An order's release time comes with its delivery. Until then the release job has nothing to find in it, so the
-- release index leaves it out: placing an order no longer writes an entry there (one index insertion fewer per order).
DROP INDEX points_order_release_due;
CREATE INDEX points_order_release_due ON points_order (release_at)
    WHERE placed AND NOT released AND NOT cancelled AND release_at IS NOT NULL;
