package dev.retention.campaigns.messaging;

import dev.retention.campaigns.config.CampaignsConfig;
import dev.retention.campaigns.domain.CampaignRules;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.OrderState;
import dev.retention.campaigns.domain.SegmentCampaign;
import dev.retention.campaigns.domain.ShipmentTimer;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import dev.retention.campaigns.persistence.SegmentCampaignStore;
import dev.retention.contracts.EventEnvelope;
import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import io.quarkus.scheduler.Scheduled;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The time-based triggers: overdue shipments, birthdays, win-back and review requests, and segment campaigns.
 * Each reads only due rows from an indexed range, a chunk per transaction, locked with SKIP LOCKED; customers are
 * locked with SKIP LOCKED too, so replicas share the work, nothing is done twice, and a job never waits for the
 * consumer (rows of a customer the consumer holds are left for the next run).
 */
@ApplicationScoped
public class CampaignJobs {

    private static final Logger LOG = Logger.getLogger(CampaignJobs.class);

    private final Pool pool;
    private final CampaignRules rules;
    private final CampaignStore store;
    private final SegmentCampaignStore campaigns;
    private final TriggerIssuer issuer;
    private final EventOutbox outbox;
    private final Clock clock;
    private final int chunk;

    public CampaignJobs(Pool pool, CampaignRules rules, CampaignStore store, SegmentCampaignStore campaigns,
                        TriggerIssuer issuer, EventOutbox outbox, Clock clock, CampaignsConfig config) {
        this.pool = pool;
        this.rules = rules;
        this.store = store;
        this.campaigns = campaigns;
        this.issuer = issuer;
        this.outbox = outbox;
        this.clock = clock;
        this.chunk = config.jobs().batchSize();
    }

    @Scheduled(every = "${retention.campaigns.jobs.every:30s}", delayed = "5s",
            concurrentExecution = Scheduled.ConcurrentExecution.SKIP)
    Uni<Void> run() {
        return runAll().onFailure().invoke(failure -> LOG.warnf("campaign job failed, next run retries: %s", failure))
                .onFailure().recoverWithNull().replaceWithVoid();
    }

    /** Runs every job until nothing is due; returns the triggers published. */
    public Uni<Integer> runAll() {
        return overdueShipments().flatMap(a -> birthdays().flatMap(b -> winBacks().flatMap(c -> reviewRequests()
                .flatMap(d -> segmentOffers().map(e -> a + b + c + d + e)))));
    }

    public Uni<Integer> overdueShipments() {
        return repeat(this::overdueChunk);
    }

    public Uni<Integer> birthdays() {
        return repeat(tx -> now -> dueCustomers(tx, store.lockDueBirthdays(tx, now, chunk), now,
                customer -> rules.birthdayDue(customer, now)));
    }

    public Uni<Integer> winBacks() {
        return repeat(tx -> now -> dueCustomers(tx, store.lockDueWinBacks(tx, now, chunk), now,
                customer -> rules.winBackDue(customer, now)));
    }

    public Uni<Integer> reviewRequests() {
        return repeat(this::reviewChunk);
    }

    public Uni<Integer> segmentOffers() {
        return repeat(this::segmentChunk);
    }

    /** A chunk's outcome: rows it handled (0 ends the run) and the events it wrote. */
    private record Chunk(int handled, int published) {
        static final Chunk NONE = new Chunk(0, 0);
    }

    private interface ChunkWork {
        Function<Instant, Uni<Chunk>> in(SqlConnection tx);
    }

    /** Chunks until one finds nothing to do; returns how many events they published. */
    private Uni<Integer> repeat(ChunkWork work) {
        return ChunkedWork.repeat(() -> {
            Instant now = clock.instant();
            return pool.withTransaction(tx -> work.in(tx).apply(now)).invoke(done -> {
                if (done.published() > 0) {
                    outbox.committed();
                }
            });
        }, done -> done.handled() > 0, Chunk::published);
    }

    private Uni<Chunk> write(SqlConnection tx, TriggerIssuer.Issued issued, int handled) {
        List<EventEnvelope<?>> events = issued.events();
        return outbox.write(tx, events).replaceWith(new Chunk(handled, events.size()));
    }

    private Function<Instant, Uni<Chunk>> overdueChunk(SqlConnection tx) {
        return now -> store.lockDueTimers(tx, now, chunk).flatMap(due -> store.tryLockCustomers(tx,
                due.values().stream().map(t -> t.customerId).toList()).flatMap(customers -> {
                    // Timers of customers the consumer holds stay due for the next run.
                    List<ShipmentTimer> timers = due.values().stream()
                            .filter(t -> customers.containsKey(t.customerId)).toList();
                    return store.orders(tx, timers.stream().map(t -> t.orderId).toList()).flatMap(orders -> {
                        List<TriggerRequest> requests = new ArrayList<>();
                        for (ShipmentTimer timer : timers) {
                            OrderState order = orders.getOrDefault(timer.orderId,
                                    new OrderState(timer.orderId, timer.customerId));
                            rules.shipmentOverdue(timer, order, customers.get(timer.customerId), now)
                                    .ifPresent(requests::add);
                        }
                        return store.saveTimers(tx, timers)
                                .flatMap(x -> issuer.issue(tx, requests, customers, now))
                                .flatMap(issued -> write(tx, issued, timers.size()));
                    });
                }));
    }

    private Function<Instant, Uni<Chunk>> reviewChunk(SqlConnection tx) {
        return now -> store.lockDueReviewRequests(tx, now, chunk).flatMap(due -> store.tryLockCustomers(tx,
                due.values().stream().map(o -> o.customerId).toList()).flatMap(customers -> {
                    List<OrderState> orders = due.values().stream()
                            .filter(o -> customers.containsKey(o.customerId)).toList();
                    List<TriggerRequest> requests = new ArrayList<>();
                    for (OrderState order : orders) {
                        rules.reviewRequestDue(order, now).ifPresent(requests::add);
                    }
                    return store.saveOrders(tx, orders)
                            .flatMap(x -> issuer.issue(tx, requests, customers, now))
                            .flatMap(issued -> write(tx, issued, orders.size()));
                }));
    }

    /** Birthdays and win-back: the due query locked the customers' rows and returned them. */
    private Uni<Chunk> dueCustomers(SqlConnection tx, Uni<Map<String, CustomerState>> lockedDue, Instant now,
                                    Function<CustomerState, Optional<TriggerRequest>> rule) {
        return lockedDue.flatMap(customers -> {
            List<TriggerRequest> requests = new ArrayList<>();
            for (CustomerState customer : customers.values()) {
                rule.apply(customer).ifPresent(requests::add);
            }
            return store.saveCustomers(tx, customers.values())
                    .flatMap(x -> issuer.issue(tx, requests, customers, now))
                    .flatMap(issued -> write(tx, issued, customers.size()));
        });
    }

    /**
     * One chunk of one running segment campaign: the next members after its cursor, locked (waiting for the
     * consumer, in key order), checked against the segment again under the lock, offered within the budget.
     */
    private Function<Instant, Uni<Chunk>> segmentChunk(SqlConnection tx) {
        return now -> campaigns.lockRunnable(tx, now).flatMap(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().item(Chunk.NONE);
            }
            SegmentCampaign campaign = found.get();
            if (!campaign.running(now) || campaign.budgetLeft() <= 0) {
                return campaigns.saveProgress(tx, campaign.campaignId(), campaign.issued(), campaign.cursor(),
                        SegmentCampaign.Status.COMPLETED).replaceWith(new Chunk(1, 0));
            }
            var segment = campaign.segment();
            String[] tiers = segment.tiers() == null ? null : segment.tiers().toArray(String[]::new);
            return store.segmentMembers(tx, campaign.cursor(), tiers, segment.inactiveSince(now),
                    segment.minLifetimeSpend(), chunk).flatMap(members -> store.lockCustomers(tx, members)
                    .flatMap(customers -> {
                        List<TriggerRequest> requests = new ArrayList<>();
                        for (CustomerState customer : customers.values()) {
                            if (segment.matches(customer, now)) {
                                requests.add(campaign.requestFor(customer.customerId,
                                        rules.policy().baseCurrency(), now));
                            }
                        }
                        String cursor = members.isEmpty() ? campaign.cursor() : members.get(members.size() - 1);
                        return issuer.issue(tx, requests, customers, now, campaign.budgetLeft())
                                .flatMap(issued -> campaigns.saveProgress(tx, campaign.campaignId(),
                                                campaign.issued() + issued.vouchers(), cursor,
                                                members.size() < chunk ? SegmentCampaign.Status.COMPLETED
                                                        : SegmentCampaign.Status.ACTIVE)
                                        .flatMap(x -> write(tx, issued, Math.max(1, members.size()))));
                    }));
        });
    }
}
