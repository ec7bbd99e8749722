package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

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

    /** Due orders whose customers this transaction could lock. */
    private record Locked(List<OrderState> orders, Map<String, CustomerState> customers) {
    }

    private Uni<Chunk> chunk(SqlConnection tx, Instant now) {
        return store.lockDueReviewRequests(tx, now, chunkSize)
                .chain(due -> store.tryLockCustomers(tx, due.values().stream().map(o -> o.customerId()).toList())
                        .map(customers -> new Locked(due.values().stream()
                                .filter(o -> customers.containsKey(o.customerId())).toList(), customers)))
                .chain(locked -> unitOfWork.save(tx, request(locked, now), locked.customers(), now)
                        .map(issued -> new Chunk(locked.orders().size(), issued.events())));
    }

    private Changes request(Locked locked, Instant now) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (OrderState order : locked.orders()) {
            rules.reviewRequestDue(order, now).ifPresent(requests::add);
        }
        return Changes.ofOrders(locked.orders(), requests);
    }
}
