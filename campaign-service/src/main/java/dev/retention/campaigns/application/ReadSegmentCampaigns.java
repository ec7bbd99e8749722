package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.persistence.SegmentCampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;
import java.util.Optional;

/** Segment campaigns with what they issued so far. */
@ApplicationScoped
public class ReadSegmentCampaigns {

    private final Pool pool;
    private final SegmentCampaignStore store;

    public ReadSegmentCampaigns(Pool pool, SegmentCampaignStore store) {
        this.pool = pool;
        this.store = store;
    }

    public Uni<Optional<SegmentCampaign>> get(String campaignId) {
        return store.get(pool, campaignId);
    }

    /** Latest start first. */
    public Uni<List<SegmentCampaign>> list(int limit) {
        return store.list(pool, limit);
    }
}
