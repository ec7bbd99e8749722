package dev.retention.tiers.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One customer's evaluations over time, the one sequence both the live service and a simulation run. An event (an
 * order placed, cancelled or returned) is evaluated at its business time, never later than the customer's last
 * evaluation (time does not run backwards for a customer); before it, every evaluation that fell due in between (an
 * order leaving the window, a warning, a downgrade, a programme version that moves tiers) is made at its due time.
 * Each evaluation applies the policy in force at its own time. So the outcome depends on the facts and their business
 * times only: not on when the service processed them, how the broker batched them, or when the job ran.
 */
public final class TierCourse {

    /** Evaluations one call may make at most: a guard against a policy that would never settle. */
    private static final int MAX_EVALUATIONS = 100_000;

    /**
     * An event is evaluated this long after its business time (the database keeps microseconds): the tier an order
     * reaches holds from just after the order, so the order itself earns at the tier it was placed in (points-service
     * rates an order by the tier whose {@code effectiveAt} is not after its {@code placedAt}).
     */
    public static final Duration JUST_AFTER = Duration.ofNanos(1_000);

    /** One evaluation: when, whether it was due (rather than caused by an event), and its outcome. */
    public record Evaluated(Instant at, boolean due, TierPolicy.Evaluation evaluation) {
    }

    private final TierRules rules;
    /** Its {@code nextEvaluationAt} is the policy's own (orders, grace), without the rules' version changes. */
    private TierStatus status;
    private Instant evaluatedAt;

    private TierCourse(TierRules rules, TierStatus status, Instant evaluatedAt) {
        this.rules = rules;
        this.status = status;
        this.evaluatedAt = evaluatedAt;
    }

    /** A customer nothing has been evaluated for yet. */
    public static TierCourse start(TierRules rules) {
        return new TierCourse(rules, TierStatus.none(), null);
    }

    /** A customer as stored: the status and the time of the last evaluation (null when unknown). */
    public static TierCourse resume(TierRules rules, TierStatus stored, Instant evaluatedAt) {
        return new TierCourse(rules, stored, evaluatedAt);
    }

    /** The same customer from here on under other rules (a simulation's draft side). */
    public TierCourse under(TierRules other) {
        return new TierCourse(other, status, evaluatedAt);
    }

    /**
     * The next evaluation without a new event; empty for a customer without a tier. A stored due time before the last
     * evaluation (the sweep of a programme version marks every customer due at its {@code effectiveFrom}, also those
     * already evaluated under it) is made at the last evaluation's time: time does not run backwards, and an
     * evaluation at that time again changes nothing but the next due time.
     */
    public Optional<Instant> due() {
        if (status.tier() == null) {
            return Optional.empty();
        }
        Instant next = status.nextEvaluationAt();
        if (evaluatedAt != null) {
            Optional<Instant> change = rules.nextMovingChangeAfter(evaluatedAt);
            if (change.isPresent() && (next == null || change.get().isBefore(next))) {
                next = change.get();
            }
            if (next != null && next.isBefore(evaluatedAt)) {
                next = evaluatedAt;
            }
        }
        return Optional.ofNullable(next);
    }

    /** The status to keep, with the next evaluation due. */
    public TierStatus status() {
        return status.withNextEvaluationAt(due().orElse(null));
    }

    public Instant evaluatedAt() {
        return evaluatedAt;
    }

    /** Every evaluation due up to {@code until}, inclusive, each at its due time. */
    public List<Evaluated> evaluateDue(Instant until, Collection<QualifyingOrder> orders) {
        List<Evaluated> done = new ArrayList<>();
        for (Optional<Instant> due = due(); due.isPresent() && !due.get().isAfter(until); due = due()) {
            done.add(evaluate(due.get(), true, orders));
            guard(done);
        }
        return done;
    }

    /**
     * An event at business time {@code at}: the evaluations due before it, then one at {@code at} (or at the last
     * evaluation's time, if that was later).
     */
    public List<Evaluated> evaluateEvent(Instant at, Collection<QualifyingOrder> orders) {
        Instant justAfter = at.plus(JUST_AFTER);
        Instant time = evaluatedAt != null && evaluatedAt.isAfter(justAfter) ? evaluatedAt : justAfter;
        List<Evaluated> done = new ArrayList<>();
        for (Optional<Instant> due = due(); due.isPresent() && due.get().isBefore(time); due = due()) {
            done.add(evaluate(due.get(), true, orders));
            guard(done);
        }
        done.add(evaluate(time, false, orders));
        return done;
    }

    private Evaluated evaluate(Instant at, boolean due, Collection<QualifyingOrder> orders) {
        TierPolicy.Evaluation evaluation = rules.at(at).evaluate(status, orders, at);
        status = evaluation.status();
        evaluatedAt = at;
        return new Evaluated(at, due, evaluation);
    }

    private static void guard(List<Evaluated> done) {
        if (done.size() > MAX_EVALUATIONS) {
            throw new IllegalStateException("more than " + MAX_EVALUATIONS + " evaluations due at once");
        }
    }
}
