package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.ShipmentTimer;
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
 * The delay apology for a dispatched shipment still not delivered when its promised date (plus grace) has passed.
 * Due timers come from an indexed range, a chunk per transaction, locked with SKIP LOCKED; their customers are
 * locked with SKIP LOCKED too, so replicas share the work, nothing is done twice, and the job never waits for the
 * consumer (timers of a customer the consumer holds are left for the next run).
 */
@ApplicationScoped
public class ApologiseForOverdueShipments {

    private final CampaignUnitOfWork unitOfWork;
    private final CampaignStore store;
    private final CampaignRules rules;
    private final int chunkSize;

    public ApologiseForOverdueShipments(CampaignUnitOfWork unitOfWork, CampaignStore store, CampaignRules rules,
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
        return DueCustomers.withTheirCustomers(store, tx, store.lockDueTimers(tx, now, chunkSize),
                        ShipmentTimer::customerId)
                .chain(locked -> store.orders(tx, locked.rows().stream().map(ShipmentTimer::orderId).toList())
                        .chain(orders -> unitOfWork.save(tx, apologise(locked, orders, now), locked.customers(), now))
                        .map(issued -> new Chunk(locked.rows().size(), issued.events())));
    }

    private Changes apologise(DueCustomers.Locked<ShipmentTimer> locked, Map<String, OrderState> orders, Instant now) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (ShipmentTimer timer : locked.rows()) {
            OrderState order = orders.getOrDefault(timer.orderId(),
                    new OrderState(timer.orderId(), timer.customerId()));
            rules.shipmentOverdue(timer, order, locked.customers().get(timer.customerId()), now)
                    .ifPresent(requests::add);
        }
        return Changes.ofTimers(locked.rows(), requests);
    }
}
