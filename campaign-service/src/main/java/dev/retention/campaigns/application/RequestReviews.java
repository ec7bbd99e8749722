package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The review request a few days after delivery, for orders neither reviewed, cancelled nor returned. Due orders come
 * from an indexed range, a chunk per transaction, locked with SKIP LOCKED, and so are their customers: replicas share
 * the work and never wait for the consumer (orders of a customer it holds are left for the next run).
 */
@ApplicationScoped
public class RequestReviews {

    private final CampaignUnitOfWork unitOfWork;
    private final CampaignStore store;
    private final CampaignRules rules;
    private final int chunkSize;

    public RequestReviews(CampaignUnitOfWork unitOfWork, CampaignStore store, CampaignRules rules,
                          CampaignsConfig config) {
        this.unitOfWork = unitOfWork;
        this.store = store;
        this.rules = rules;
        this.chunkSize = config.jobs().batchSize();
    }

    /** Until nothing is due; returns the triggers published. */
    public Uni<Integer> run() {
        return unitOfWork.inChunks(this::chunk);
    }

    private Uni<Chunk> chunk(SqlConnection tx, Instant now) {
        return DueCustomers.withTheirCustomers(store, tx, store.lockDueReviewRequests(tx, now, chunkSize),
                        OrderState::customerId)
                .chain(locked -> unitOfWork.save(tx, request(locked.rows(), now), locked.customers(), now)
                        .map(issued -> new Chunk(locked.rows().size(), issued.events())));
    }

    private Changes request(List<OrderState> orders, Instant now) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (OrderState order : orders) {
            rules.reviewRequestDue(order, now).ifPresent(requests::add);
        }
        return Changes.ofOrders(orders, requests);
    }
}
