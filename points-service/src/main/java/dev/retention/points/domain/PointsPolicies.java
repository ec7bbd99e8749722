package dev.retention.points.domain;

import java.time.Instant;

/**
 * The policy in force at a business time: the programme version in force then, or the configured baseline before
 * the first version. The service backs it with the eventing kit's programme timeline; tests with a fixed policy.
 */
@FunctionalInterface
public interface PointsPolicies {

    PointsPolicy at(Instant businessTime);

    /** The same policy at every time. */
    static PointsPolicies always(PointsPolicy policy) {
        return time -> policy;
    }
}
