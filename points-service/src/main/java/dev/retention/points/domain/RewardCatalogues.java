package dev.retention.points.domain;

import java.time.Instant;

/** The catalogue of the programme version in force at a time; the service backs it with the programme's timeline. */
@FunctionalInterface
public interface RewardCatalogues {

    RewardCatalogue at(Instant time);
}
