package dev.retention.tiers.domain;

import dev.retention.contracts.events.TierChanged;
import dev.retention.contracts.programme.simulation.TierSimulation;
import dev.retention.contracts.programme.simulation.TierTimeline;
import dev.retention.contracts.programme.simulation.TierTimeline.TierChange;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.TreeMap;

/**
 * A programme simulation's re-run of the ladder, one customer at a time, by the live path's own sequence
 * ({@link TierCourse}): each customer's placed orders in {@code placedAt} order, from their first, under the versions
 * in force (so the state at {@code from} is the one the service derived); from {@code from} on, a second course goes
 * on under the draft as if published to take effect at {@code from} ({@link TierRules#replacedFrom}). Evaluations
 * due are made up to {@code to} or the clock, whichever is earlier, as the job would have made them. Tier changes
 * within {@code [from, to)} are counted per side. Keeps one customer's orders at a time (those still in a window).
 */
public final class TierSimulator {

    private static final String NONE = "none";

    private final TierRules inForce;
    private final TierRules draft;
    private final Instant from;
    private final Instant to;
    /** The last moment a due evaluation can have happened at: before {@code to}, not after the clock. */
    private final Instant dueUntil;
    private final Duration longestWindow;
    private final int top;
    /** Null unless the draft side's timelines were asked for. */
    private final List<TierTimeline> draftTimelines;

    private final Figures inForceFigures = new Figures();
    private final Figures draftFigures = new Figures();
    private final PriorityQueue<Ranked> topChanges;
    private long customers;
    private long affected;

    /** A customer whose tier differs at the end, and by how many rungs. */
    private record Ranked(String customerId, String inForce, String draft, int step) {
    }

    private static final Comparator<Ranked> MOST_CHANGED_FIRST = Comparator.comparingInt(Ranked::step).reversed()
            .thenComparing(Ranked::customerId);

    public TierSimulator(TierRules inForce, TierPolicy draftPolicy, Instant from, Instant to, Instant now, int top) {
        this(inForce, draftPolicy, from, to, now, top, false);
    }

    /**
     * @param timelines whether {@link #result()} lists the draft side's timeline of every customer whose tier changes
     *                  within {@code [from, to)} differ between the sides (for points-service's draft side)
     */
    public TierSimulator(TierRules inForce, TierPolicy draftPolicy, Instant from, Instant to, Instant now, int top,
                         boolean timelines) {
        this.draftTimelines = timelines ? new ArrayList<>() : null;
        this.inForce = inForce;
        this.draft = inForce.replacedFrom(from, draftPolicy);
        this.from = from;
        this.to = to;
        Instant lastBeforeTo = to.minusNanos(1);
        this.dueUntil = now.isBefore(lastBeforeTo) ? now : lastBeforeTo;
        Duration draftWindow = draft.longestWindow();
        this.longestWindow = draftWindow.compareTo(inForce.longestWindow()) > 0 ? draftWindow
                : inForce.longestWindow();
        this.top = top;
        this.topChanges = new PriorityQueue<>(MOST_CHANGED_FIRST.reversed());
    }

    /** Re-runs one customer; {@code orders} are the customer's placed orders in {@code placedAt} order. */
    public void customer(String customerId, List<QualifyingOrder> orders) {
        customers++;
        Deque<QualifyingOrder> counting = new ArrayDeque<>();
        TierCourse shared = TierCourse.start(inForce);
        TierCourse inForceCourse = null;
        TierCourse draftCourse = null;
        String tierAtFrom = null;
        List<TierChange> inForceChanges = new ArrayList<>();
        List<TierChange> draftChanges = new ArrayList<>();
        for (QualifyingOrder order : orders) {
            Instant evaluatedAt = order.placedAt().plus(TierCourse.JUST_AFTER);
            // An order is evaluated at its business time whenever it is processed, so one placed after now (a shop
            // that sends tomorrow's pre-orders today) counts as the live path counted it; only the job's due
            // evaluations wait for the clock (dueUntil).
            if (!evaluatedAt.isBefore(to)) {
                break;
            }
            if (inForceCourse == null && !evaluatedAt.isBefore(from)) {
                shared.evaluateDue(earlier(from.minusNanos(1), dueUntil), counting);
                tierAtFrom = shared.status().tier();
                inForceCourse = shared;
                draftCourse = shared.under(draft);
            }
            prune(counting, inForceCourse == null ? shared : inForceCourse, draftCourse);
            counting.addLast(order);
            if (inForceCourse == null) {
                shared.evaluateEvent(order.placedAt(), counting);
            } else {
                inForceChanges.addAll(inForceFigures.count(inForceCourse.evaluateEvent(order.placedAt(), counting),
                        from));
                draftChanges.addAll(draftFigures.count(draftCourse.evaluateEvent(order.placedAt(), counting), from));
            }
        }
        if (inForceCourse == null) {
            shared.evaluateDue(earlier(from.minusNanos(1), dueUntil), counting);
            tierAtFrom = shared.status().tier();
            inForceCourse = shared;
            draftCourse = shared.under(draft);
        }
        inForceChanges.addAll(inForceFigures.count(inForceCourse.evaluateDue(dueUntil, counting), from));
        draftChanges.addAll(draftFigures.count(draftCourse.evaluateDue(dueUntil, counting), from));
        ended(customerId, inForceCourse.status().tier(), draftCourse.status().tier());
        if (draftTimelines != null && !draftChanges.equals(inForceChanges)) {
            draftTimelines.add(new TierTimeline(customerId, tierAtFrom, draftChanges));
        }
    }

    /**
     * A customer with a tier but no placed order (only a cancellation or return of an order never seen placed): their
     * tier is taken as stored on both sides (the draft's lowest tier if the draft has no tier of that name). They get no
     * timeline: tier-service has no order of theirs to time a change by.
     */
    public void customerWithoutOrders(String customerId, String storedTier) {
        customers++;
        TierLadder draftLadder = draft.at(dueUntil).ladder();
        String draftTier = storedTier == null || draftLadder.has(storedTier) ? storedTier
                : draftLadder.tiers().get(0).name();
        ended(customerId, storedTier, draftTier);
    }

    public TierSimulation result() {
        List<Ranked> ranked = new ArrayList<>(topChanges);
        ranked.sort(MOST_CHANGED_FIRST);
        List<TierTimeline> timelines = null;
        if (draftTimelines != null) {
            timelines = new ArrayList<>(draftTimelines);
            timelines.sort(Comparator.comparing(TierTimeline::customerId));
        }
        return new TierSimulation(customers, inForceFigures.figures(), draftFigures.figures(), affected,
                ranked.stream().map(r -> new TierSimulation.CustomerTier(r.customerId(), r.inForce(), r.draft()))
                        .toList(), timelines);
    }

    private void ended(String customerId, String inForceTier, String draftTier) {
        String inForceName = inForceTier == null ? NONE : inForceTier;
        String draftName = draftTier == null ? NONE : draftTier;
        inForceFigures.distribution.merge(inForceName, 1L, Long::sum);
        draftFigures.distribution.merge(draftName, 1L, Long::sum);
        if (inForceName.equals(draftName)) {
            return;
        }
        affected++;
        if (top <= 0) {
            return;
        }
        int step = Math.abs(rank(inForce.at(dueUntil).ladder(), inForceTier) - rank(draft.at(dueUntil).ladder(),
                draftTier));
        topChanges.add(new Ranked(customerId, inForceName, draftName, step));
        if (topChanges.size() > top) {
            topChanges.poll();
        }
    }

    /** A tier's rung, 0 for the lowest; -1 for no tier (or one the ladder does not have). */
    private static int rank(TierLadder ladder, String tier) {
        return tier == null || !ladder.has(tier) ? -1 : ladder.rank(ladder.named(tier));
    }

    /** Orders no evaluation to come can count or look at any more: they left every window before the last one. */
    private void prune(Deque<QualifyingOrder> counting, TierCourse first, TierCourse second) {
        Instant oldestEvaluation = first.evaluatedAt();
        if (second != null && second.evaluatedAt() != null
                && (oldestEvaluation == null || second.evaluatedAt().isBefore(oldestEvaluation))) {
            oldestEvaluation = second.evaluatedAt();
        }
        if (oldestEvaluation == null) {
            return;
        }
        Instant gone = oldestEvaluation.minus(longestWindow);
        while (!counting.isEmpty() && !counting.peekFirst().placedAt().isAfter(gone)) {
            counting.removeFirst();
        }
    }

    private static Instant earlier(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    /** One side's counts. */
    private static final class Figures {
        private final Map<String, Long> distribution = new TreeMap<>();
        private final Map<String, Long> moves = new TreeMap<>();
        private long upgrades;
        private long downgrades;

        /**
         * Counts the changes within the period and answers them as a timeline's changes: each in force from the
         * time the live path publishes as its {@code effectiveAt} (the evaluation's time).
         */
        List<TierChange> count(List<TierCourse.Evaluated> evaluations, Instant from) {
            List<TierChange> changes = new ArrayList<>(0);
            for (TierCourse.Evaluated evaluated : evaluations) {
                if (evaluated.at().isBefore(from)) {
                    continue;
                }
                evaluated.evaluation().change().ifPresent(change -> {
                    count(change);
                    changes.add(new TierChange(change.effectiveAt(), change.toTier()));
                });
            }
            return changes;
        }

        private void count(TierChanged change) {
            moves.merge((change.fromTier() == null ? NONE : change.fromTier()) + "->" + change.toTier(), 1L,
                    Long::sum);
            switch (change.direction()) {
                case UP -> upgrades++;
                case DOWN -> downgrades++;
                case INITIAL -> {
                }
            }
        }

        TierSimulation.TierFigures figures() {
            return new TierSimulation.TierFigures(Collections.unmodifiableMap(new TreeMap<>(distribution)),
                    Collections.unmodifiableMap(new TreeMap<>(moves)), upgrades, downgrades);
        }
    }
}
