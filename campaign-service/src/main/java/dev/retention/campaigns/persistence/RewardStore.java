package dev.retention.campaigns.persistence;

import dev.retention.eventing.ColumnBinder;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Instant;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static dev.retention.eventing.SqlValues.sortedKeys;

/** {@code reward_issue} (V9): what became of each redemption, the once-only record of issuing rewards. */
@ApplicationScoped
public class RewardStore {

    /**
     * A redemption decided.
     *
     * @param reason    the refusal's reason, null when issued
     * @param triggerId the trigger of the issued reward, null when refused
     */
    public record Decided(String redemptionId, String customerId, String rewardId, String reason, String triggerId,
                          String sourceEventId, Instant decidedAt) {
    }

    private static final ColumnBinder<Decided> COLUMNS = ColumnBinder.<Decided>builder()
            .text("redemption_id", Decided::redemptionId)
            .text("customer_id", Decided::customerId)
            .text("reward_id", Decided::rewardId)
            .text("outcome", d -> d.reason() == null ? "ISSUED" : "FAILED")
            .text("reason", Decided::reason)
            .uuid("trigger_id", Decided::triggerId)
            .text("source_event_id", Decided::sourceEventId)
            .timestamptz("decided_at", Decided::decidedAt)
            .build();
    private static final String DECIDED = "SELECT redemption_id FROM reward_issue WHERE redemption_id = ANY($1::text[])";
    private static final String RECORD = COLUMNS.insertInto("reward_issue")
            + " ON CONFLICT (redemption_id) DO NOTHING RETURNING redemption_id";

    /** Which of the redemptions were decided before (issued or refused). */
    public Uni<Set<String>> decided(SqlConnection tx, Collection<String> redemptionIds) {
        if (redemptionIds.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(DECIDED).execute(Tuple.tuple().addArrayOfString(sortedKeys(redemptionIds)))
                .map(rows -> {
                    Set<String> decided = new HashSet<>();
                    rows.forEach(row -> decided.add(row.getString("redemption_id")));
                    return decided;
                });
    }

    /** Records the decisions; returns the redemption ids that were new (the rest were decided concurrently). */
    public Uni<Set<String>> record(SqlConnection tx, List<Decided> decisions) {
        if (decisions.isEmpty()) {
            return Uni.createFrom().item(Set.of());
        }
        return tx.preparedQuery(RECORD).execute(COLUMNS.arrays(decisions)).map(rows -> {
            Set<String> inserted = new HashSet<>();
            rows.forEach(row -> inserted.add(row.getString("redemption_id")));
            return inserted;
        });
    }
}
