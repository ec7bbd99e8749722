package dev.retention.tiers.application;

import dev.retention.contracts.EventEnvelope;
import dev.retention.contracts.EventIds;
import dev.retention.contracts.events.EventData;
import dev.retention.contracts.programme.ProgrammeVersion;
import dev.retention.eventing.programme.ProgrammePolicies;
import dev.retention.eventing.programme.ProgrammeVersions;
import dev.retention.tiers.domain.QualifyingOrder;
import dev.retention.tiers.domain.TierCourse;
import dev.retention.tiers.domain.TierPolicy;
import dev.retention.tiers.domain.TierRules;
import dev.retention.tiers.persistence.TierStore;
import dev.retention.tiers.persistence.TierStore.StoredStatus;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlClient;
import io.vertx.mutiny.sqlclient.SqlConnection;
import jakarta.inject.Singleton;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What every use case that moves tiers shares: the rules of every business time, the orders a customer's
 * evaluations read, and writing the outcome (statuses, history) in the caller's transaction; the events to publish
 * go back to the caller, which puts them in the outbox. Used for customers with new orders ({@link ApplyOrderEvents})
 * and customers whose next evaluation is due ({@link ReevaluateDueTiers}).
 *
 * <p>Each evaluation happens at a business time (just after an order's {@code placedAt}, a cancellation's or a
 * return's own time, or the time an evaluation was due) and applies the tier rules of the programme version in force
 * then ({@link TierCourse}), never the service's clock: an order processed late, or replayed, moves the customer the
 * way it did when it was placed, and a simulation re-runs the same sequence ({@link SimulateTiers}).
 */
@Singleton
class TierReevaluation {

    static final String SOURCE = "/tier-service";

    private final ProgrammePolicies<TierPolicy> policies;
    private final ProgrammeVersions versions;
    private final TierStore store;

    TierReevaluation(ProgrammePolicies<TierPolicy> policies, ProgrammeVersions versions, TierStore store) {
        this.policies = policies;
        this.versions = versions;
        this.store = store;
    }

    /** The tier rules of every business time: the baseline, then each accepted version from its effectiveFrom. */
    TierRules rules() {
        List<TierRules.Change> changes = new ArrayList<>();
        for (ProgrammeVersion version : versions.timeline().versions()) {
            changes.add(new TierRules.Change(version.effectiveFrom(), policies.at(version.effectiveFrom())));
        }
        return new TierRules(policies.baseline(), changes);
    }

    /** One evaluation of one customer, and the id its events derive theirs from. */
    record CustomerEvaluation(String customer, String cause, TierCourse.Evaluated evaluated) {
    }

    /** A due evaluation is caused by the moment it was due: a rerun of the same moment derives the same ids. */
    static String dueCause(String customer, Instant dueAt) {
        return "tier-evaluation:" + customer + ":" + dueAt;
    }

    /** The customers' placed orders that can count in an evaluation at {@code earliest} or later, per customer. */
    Uni<Map<String, List<QualifyingOrder>>> orders(SqlClient client, Collection<String> customers, Instant earliest,
                                                    TierRules rules) {
        if (customers.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return store.qualifyingOrders(client, customers, earliest.minus(rules.longestWindow()));
    }

    /** Writes the courses' statuses and the changes to the history; returns the events to publish, in order. */
    Uni<List<EventEnvelope<?>>> save(SqlConnection tx, Map<String, TierCourse> courses,
                                     List<CustomerEvaluation> evaluations) {
        Map<String, StoredStatus> statuses = new LinkedHashMap<>();
        courses.forEach((customer, course) ->
                statuses.put(customer, new StoredStatus(course.status(), course.evaluatedAt())));
        List<TierStore.HistoryEntry> history = new ArrayList<>();
        List<EventEnvelope<?>> events = new ArrayList<>();
        for (CustomerEvaluation evaluation : evaluations) {
            TierPolicy.Evaluation outcome = evaluation.evaluated().evaluation();
            Instant at = evaluation.evaluated().at();
            outcome.change().ifPresent(change -> history.add(new TierStore.HistoryEntry(
                    publish(events, evaluation, change, at), evaluation.customer(), change)));
            outcome.risk().ifPresent(risk -> publish(events, evaluation, risk, at));
        }
        return store.saveStatuses(tx, statuses)
                .chain(() -> store.appendHistory(tx, history))
                .replaceWith(events);
    }

    /** Adds the event to publish under an id derived from its cause; returns that id. */
    private static String publish(List<EventEnvelope<?>> events, CustomerEvaluation evaluation, EventData data,
                                  Instant at) {
        String eventId = EventIds.derive(evaluation.cause(), "tier:" + data.getClass().getSimpleName());
        events.add(EventEnvelope.of(eventId, SOURCE, at, evaluation.customer(), data));
        return eventId;
    }
}
