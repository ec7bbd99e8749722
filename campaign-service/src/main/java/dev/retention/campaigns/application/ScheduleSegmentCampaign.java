package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.persistence.SegmentCampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;

/** A new segment offer; the campaign job ({@link RunSegmentCampaigns}) offers it within its window. */
@ApplicationScoped
public class ScheduleSegmentCampaign {

    private final Pool pool;
    private final SegmentCampaignStore store;
    private final Clock clock;

    public ScheduleSegmentCampaign(Pool pool, SegmentCampaignStore store, Clock clock) {
        this.pool = pool;
        this.store = store;
        this.clock = clock;
    }

    /** False when a campaign with its id exists already. */
    public Uni<Boolean> schedule(SegmentCampaign campaign) {
        return store.insert(pool, campaign, clock.instant());
    }
}
