package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CustomerState;
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

    /** Due timers whose customers this transaction could lock. */
    private record Locked(List<ShipmentTimer> timers, Map<String, CustomerState> customers) {
    }

    private Uni<Chunk> chunk(SqlConnection tx, Instant now) {
        return store.lockDueTimers(tx, now, chunkSize)
                .chain(due -> store.tryLockCustomers(tx, due.values().stream().map(t -> t.customerId()).toList())
                        .map(customers -> new Locked(due.values().stream() // the others stay due for the next run
                                .filter(t -> customers.containsKey(t.customerId())).toList(), customers)))
                .chain(locked -> store.orders(tx, locked.timers().stream().map(t -> t.orderId()).toList())
                        .chain(orders -> unitOfWork.save(tx, apologise(locked, orders, now), locked.customers(), now))
                        .map(issued -> new Chunk(locked.timers().size(), issued.events())));
    }

    private Changes apologise(Locked locked, Map<String, OrderState> orders, Instant now) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (ShipmentTimer timer : locked.timers()) {
            OrderState order = orders.getOrDefault(timer.orderId(),
                    new OrderState(timer.orderId(), timer.customerId()));
            rules.shipmentOverdue(timer, order, locked.customers().get(timer.customerId()), now)
                    .ifPresent(requests::add);
        }
        return Changes.ofTimers(locked.timers(), requests);
    }
}
