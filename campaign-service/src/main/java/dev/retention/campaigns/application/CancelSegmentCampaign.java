package dev.retention.campaigns.application;

import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.persistence.SegmentCampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.Optional;

/** Stops an active campaign; vouchers already issued stay valid. */
@ApplicationScoped
public class CancelSegmentCampaign {

    private final Pool pool;
    private final SegmentCampaignStore store;

    public CancelSegmentCampaign(Pool pool, SegmentCampaignStore store) {
        this.pool = pool;
        this.store = store;
    }

    /**
     * @param cancelledNow this call cancelled it (false when it was no longer active, or does not exist)
     * @param campaign     the campaign as it is after the call; empty when there is none
     */
    public record Cancellation(boolean cancelledNow, Optional<SegmentCampaign> campaign) {
    }

    public Uni<Cancellation> cancel(String campaignId) {
        return store.cancel(pool, campaignId)
                .chain(cancelled -> store.get(pool, campaignId).map(found -> new Cancellation(cancelled, found)));
    }
}
