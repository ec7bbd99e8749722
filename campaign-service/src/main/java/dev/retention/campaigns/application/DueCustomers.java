package dev.retention.campaigns.application;

import dev.retention.campaigns.application.CampaignUnitOfWork.Changes;
import dev.retention.campaigns.application.CampaignUnitOfWork.Chunk;
import dev.retention.campaigns.domain.CustomerState;
import dev.retention.campaigns.domain.TriggerRequest;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/** Birthdays and win-back alike: the due query has locked the customers' rows and returned them. */
final class DueCustomers {

    private DueCustomers() {
    }

    static Uni<Chunk> offer(CampaignUnitOfWork unitOfWork, SqlConnection tx,
                            Uni<Map<String, CustomerState>> lockedDue, Instant now,
                            Function<CustomerState, Optional<TriggerRequest>> rule) {
        return lockedDue.chain(customers -> unitOfWork.save(tx, ask(customers, rule), customers, now)
                .map(issued -> new Chunk(customers.size(), issued.events())));
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
