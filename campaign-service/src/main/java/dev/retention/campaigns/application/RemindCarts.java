package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CartTimer;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.campaigns.persistence.CartStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * The next reminder of carts left with items. Due carts come from the partial index on their due time, a chunk per
 * transaction, locked with SKIP LOCKED, and their customers with SKIP LOCKED too (as the overdue shipments do):
 * replicas share the work, nothing is sent twice, and the job never waits for the consumer (carts of a customer the
 * consumer holds are left for the next run). The cost follows the due carts, however many are open.
 */
@ApplicationScoped
public class RemindCarts {

    private final CampaignUnitOfWork unitOfWork;
    private final CampaignStore store;
    private final CartStore carts;
    private final CampaignRules rules;
    private final int chunkSize;

    public RemindCarts(CampaignUnitOfWork unitOfWork, CampaignStore store, CartStore carts, CampaignRules rules,
                       CampaignsConfig config) {
        this.unitOfWork = unitOfWork;
        this.store = store;
        this.carts = carts;
        this.rules = rules;
        this.chunkSize = config.jobs().batchSize();
    }

    /** Until nothing is due; returns the triggers published. */
    public Uni<Integer> run() {
        return unitOfWork.inChunks(this::chunk);
    }

    private Uni<Chunk> chunk(SqlConnection tx, Instant now) {
        return DueCustomers.withTheirCustomers(store, tx, carts.lockDue(tx, now, chunkSize), CartTimer::customerId)
                .chain(locked -> unitOfWork.save(tx, remind(locked, now), locked.customers(), now)
                        .map(issued -> new Chunk(locked.rows().size(), issued.events())));
    }

    private Changes remind(DueCustomers.Locked<CartTimer> locked, Instant now) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (CartTimer cart : locked.rows()) {
            rules.cartReminderDue(cart, locked.customers().get(cart.customerId()), now).ifPresent(requests::add);
        }
        return Changes.ofCarts(locked.rows(), requests);
    }
}
