package dev.retention.tiers.application;

import dev.retention.eventing.ChunkedWork;
import dev.retention.eventing.EventOutbox;
import dev.retention.tiers.config.TiersConfig;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierCourse;
import dev.retention.tiers.domain.TierRules;
import dev.retention.tiers.persistence.TierStore;
import dev.retention.tiers.persistence.TierStore.StoredStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.enterprise.context.ApplicationScoped;

import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Time moves tiers too: spend leaves the window, grace periods end, a programme version that moves tiers takes
 * effect. Reads only customers whose {@code next_evaluation_at} has come (an indexed range), a chunk per transaction,
 * locked with SKIP LOCKED so that replicas share the work. Its cost follows the due customers, not all customers.
 * Each customer is evaluated at every time that fell due up to the clock, each under the version in force then
 * ({@link TierCourse#evaluateDue}): a job that runs late gives the same history as one that ran on time.
 */
@ApplicationScoped
public class ReevaluateDueTiers {

    private final Pool pool;
    private final TierStore store;
    private final TierReevaluation reevaluation;
    private final EventOutbox outbox;
    private final Clock clock;
    private final int chunk;

    ReevaluateDueTiers(Pool pool, TierStore store, TierReevaluation reevaluation, EventOutbox outbox, Clock clock,
                       TiersConfig config) {
        this.pool = pool;
        this.store = store;
        this.reevaluation = reevaluation;
        this.outbox = outbox;
        this.clock = clock;
        this.chunk = config.jobs().batchSize();
    }

    /** Re-evaluates every due customer, a chunk at a time until a chunk is not full; returns how many. */
    public Uni<Integer> reevaluateAll() {
        return ChunkedWork.repeat(this::chunk, done -> done >= chunk, Integer::intValue);
    }

    private Uni<Integer> chunk() {
        Instant now = clock.instant();
        return pool.withTransaction(tx -> store.lockDue(tx, now, chunk)
                        .chain(due -> store.lockStatuses(tx, due))
                        .chain(statuses -> reevaluate(tx, statuses, now)))
                .invoke(count -> {
                    if (count > 0) {
                        outbox.committed();
                    }
                });
    }

    /** Re-evaluates the chunk's locked customers and writes what they emit to the outbox; returns how many. */
    private Uni<Integer> reevaluate(SqlConnection tx, Map<String, StoredStatus> statuses, Instant now) {
        if (statuses.isEmpty()) {
            return Uni.createFrom().item(0);
        }
        TierRules rules = reevaluation.rules();
        Map<String, TierCourse> courses = new LinkedHashMap<>();
        Instant earliest = now;
        for (Map.Entry<String, StoredStatus> entry : statuses.entrySet()) {
            TierCourse course = TierCourse.resume(rules, entry.getValue().status(), entry.getValue().evaluatedAt());
            courses.put(entry.getKey(), course);
            Instant due = course.due().orElse(now);
            earliest = due.isBefore(earliest) ? due : earliest;
        }
        return reevaluation.orders(tx, courses.keySet(), earliest, rules)
                .map(orders -> evaluate(courses, orders, now))
                .chain(evaluations -> reevaluation.save(tx, courses, evaluations))
                .call(events -> outbox.write(tx, events))
                .replaceWith(statuses.size());
    }

    private static List<TierReevaluation.CustomerEvaluation> evaluate(Map<String, TierCourse> courses,
                                                                      Map<String, List<QualifyingOrder>> orders,
                                                                      Instant now) {
        List<TierReevaluation.CustomerEvaluation> evaluations = new ArrayList<>();
        courses.forEach((customer, course) -> {
            for (TierCourse.Evaluated evaluated : course.evaluateDue(now, orders.getOrDefault(customer, List.of()))) {
                evaluations.add(new TierReevaluation.CustomerEvaluation(customer,
                        TierReevaluation.dueCause(customer, evaluated.at()), evaluated));
            }
        });
        return evaluations;
    }
}
