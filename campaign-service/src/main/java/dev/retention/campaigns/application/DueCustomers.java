package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.TriggerRequest;
import dev.retention.campaigns.persistence.CampaignStore;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * What the jobs share. Birthdays and win-back: the due query has locked the customers' rows and returned them.
 * Overdue shipments and review requests: the due rows are locked first, then their customers with SKIP LOCKED.
 */
final class DueCustomers {

    private DueCustomers() {
    }

    static Uni<Chunk> offer(CampaignUnitOfWork unitOfWork, SqlConnection tx,
                            Uni<Map<String, CustomerState>> lockedDue, Instant now,
                            Function<CustomerState, Optional<TriggerRequest>> rule) {
        return lockedDue.chain(customers -> unitOfWork.save(tx, ask(customers, rule), customers, now)
                .map(issued -> new Chunk(customers.size(), issued.events())));
    }

    /** Due rows and the customers this transaction could lock; rows of the others stay due for the next run. */
    record Locked<T>(List<T> rows, Map<String, CustomerState> customers) {
    }

    static <T> Uni<Locked<T>> withTheirCustomers(CampaignStore store, SqlConnection tx, Uni<Map<String, T>> lockedDue,
                                                 Function<T, String> customerOf) {
        return lockedDue.chain(due -> store.tryLockCustomers(tx, due.values().stream().map(customerOf).toList())
                .map(customers -> new Locked<>(due.values().stream()
                        .filter(row -> customers.containsKey(customerOf.apply(row))).toList(), customers)));
    }

    private static Changes ask(Map<String, CustomerState> customers,
                               Function<CustomerState, Optional<TriggerRequest>> rule) {
        List<TriggerRequest> requests = new ArrayList<>();
        for (CustomerState customer : customers.values()) {
            rule.apply(customer).ifPresent(requests::add);
        }
        return Changes.ofCustomers(customers.values(), requests);
    }
}
