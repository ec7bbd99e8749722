package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.campaigns.persistence.SegmentCampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Segment campaigns: a chunk of one running campaign per transaction, the next members after its cursor, locked
 * (waiting for the consumer, in key order), checked against the segment again under the lock, offered within the
 * budget. A campaign past its end or its budget is completed. The campaign row is locked with SKIP LOCKED, so
 * replicas work on different campaigns.
 */
@ApplicationScoped
public class RunSegmentCampaigns {

    private final CampaignUnitOfWork unitOfWork;
    private final CampaignStore store;
    private final SegmentCampaignStore campaigns;
    private final String baseCurrency;
    private final int chunkSize;

    public RunSegmentCampaigns(CampaignUnitOfWork unitOfWork, CampaignStore store, SegmentCampaignStore campaigns,
                               CampaignsConfig config) {
        this.unitOfWork = unitOfWork;
        this.store = store;
        this.campaigns = campaigns;
        // Every programme version has this reporting currency: CampaignBeans refuses one that has another.
        this.baseCurrency = config.currency();
        this.chunkSize = config.jobs().batchSize();
    }

    /** Until no campaign has work left now; returns the triggers published. */
    public Uni<Integer> run() {
        return unitOfWork.inChunks(this::chunk);
    }

    private Uni<Chunk> chunk(SqlConnection tx, Instant now) {
        return campaigns.lockRunnable(tx, now).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Chunk.NONE);
            }
            SegmentCampaign campaign = found.get();
            return campaign.running(now) && campaign.budgetLeft() > 0 ? offer(tx, campaign, now)
                    : complete(tx, campaign);
        });
    }

    private Uni<Chunk> complete(SqlConnection tx, SegmentCampaign campaign) {
        return campaigns.saveProgress(tx, campaign.campaignId(), campaign.issued(), campaign.cursor(),
                SegmentCampaign.Status.COMPLETED).replaceWith(new Chunk(1, List.of()));
    }

    /** The next members after the cursor (in key order), locked. */
    private record Members(List<String> ids, Map<String, CustomerState> customers) {

        String cursorAfter(String cursor) {
            return ids.isEmpty() ? cursor : ids.get(ids.size() - 1);
        }
    }

    private Uni<Chunk> offer(SqlConnection tx, SegmentCampaign campaign, Instant now) {
        return store.segmentMembers(tx, campaign.cursor(), campaign.segment(), now, chunkSize)
                .chain(ids -> store.lockCustomers(tx, ids).map(customers -> new Members(ids, customers)))
                .chain(members -> unitOfWork.save(tx, offers(campaign, members, now), members.customers(), now,
                                campaign.budgetLeft())
                        .chain(issued -> campaigns.saveProgress(tx, campaign.campaignId(),
                                        campaign.issued() + issued.vouchers(), members.cursorAfter(campaign.cursor()),
                                        members.ids().size() < chunkSize ? SegmentCampaign.Status.COMPLETED
                                                : SegmentCampaign.Status.ACTIVE)
                                .replaceWith(new Chunk(Math.max(1, members.ids().size()), issued.events()))));
    }

    /** Members who still match under the lock: a customer's tier or orders may have changed since the query. */
    private Changes offers(SegmentCampaign campaign, Members members, Instant now) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (CustomerState customer : members.customers().values()) {
            if (campaign.segment().matches(customer, now)) {
                requests.add(campaign.requestFor(customer.customerId(), baseCurrency, now));
            }
        }
        return Changes.ofRequests(requests);
    }
}
